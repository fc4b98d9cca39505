package dev.kernelpool.k8s.events;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1EventSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on pool pods (created, warm, claimed, resized, evicted with the reason), so
 * {@code kubectl describe pod} tells the story. Sent in the background, best effort: a full queue
 * or a failing API drops events, never delays the pool.
 */
public final class PoolEvents implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PoolEvents.class);

  private final CoreV1Api api;
  private final String component;
  private final Clock clock;
  private final ExecutorService sender;
  private final AtomicLong dropped = new AtomicLong();

  public PoolEvents(CoreV1Api api, String component, Clock clock) {
    this.api = api;
    this.component = component;
    this.clock = clock;
    this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(1000), r -> {
      Thread t = new Thread(r, "pool-events");
      t.setDaemon(true);
      return t;
    });
  }

  public void normal(String namespace, String pod, String uid, String reason, String message) {
    send(namespace, pod, uid, "Normal", reason, message);
  }

  public void warning(String namespace, String pod, String uid, String reason, String message) {
    send(namespace, pod, uid, "Warning", reason, message);
  }

  private void send(String namespace, String pod, String uid, String type, String reason, String message) {
    OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    CoreV1Event event = new CoreV1Event().apiVersion("v1").kind("Event")
        .metadata(new V1ObjectMeta().generateName(pod + ".").namespace(namespace))
        .involvedObject(new V1ObjectReference().apiVersion("v1").kind("Pod").namespace(namespace).name(pod).uid(uid))
        .type(type).reason(reason).message(message).count(1)
        .firstTimestamp(now).lastTimestamp(now)
        .source(new V1EventSource().component(component))
        .reportingComponent(component);
    try {
      sender.execute(() -> {
        try {
          api.createNamespacedEvent(namespace, event).execute();
        } catch (ApiException e) {
          dropped.incrementAndGet();
          LOG.debug("event {} on {}/{} not recorded: HTTP {}", reason, namespace, pod, e.getCode());
        }
      });
    } catch (RejectedExecutionException e) {
      dropped.incrementAndGet();
    }
  }

  /** Events that could not be recorded. */
  public long dropped() {
    return dropped.get();
  }

  @Override
  public void close() {
    sender.shutdown();
    try {
      sender.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sender.shutdownNow();
  }
}
