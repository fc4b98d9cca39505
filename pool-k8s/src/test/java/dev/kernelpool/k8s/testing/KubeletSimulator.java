package dev.kernelpool.k8s.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kubelet for the in-memory API server: every pod that appears is "scheduled" at once, moved to
 * {@code Running} with a pod IP and a Ready condition, and handed to a {@link PodRuntime} that
 * runs something real for it (in the bridge's tests: a real local kernel started from the pod's
 * environment). A deleted pod's runtime is stopped; a runtime that exits marks its pod Failed.
 */
public final class KubeletSimulator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubeletSimulator.class);

  /** What runs for a pod. */
  public interface PodRuntime {
    /** Starts what runs for {@code pod}; call {@code exited} when it ends on its own. */
    void start(ObjectNode pod, Runnable exited) throws Exception;

    void stop(String namespace, String name);
  }

  /** A runtime that runs nothing: pods just become Running. */
  public static final PodRuntime NOTHING = new PodRuntime() {
    @Override
    public void start(ObjectNode pod, Runnable exited) {}

    @Override
    public void stop(String namespace, String name) {}
  };

  private final FakeApiServer server;
  private final PodRuntime runtime;
  private final java.util.function.Supplier<String> podIps;
  private final Set<String> started = ConcurrentHashMap.newKeySet();
  private final ExecutorService starts = Executors.newFixedThreadPool(4, daemon("kubelet-start"));
  private final Thread loop;
  private volatile boolean closed;

  /** Every pod gets {@code podIp}. */
  public KubeletSimulator(FakeApiServer server, PodRuntime runtime, String podIp) {
    this(server, runtime, () -> podIp);
  }

  /**
   * Every pod gets its own loopback address (127.1.x.y), as pods get their own IPs on a cluster:
   * kernels of different pods then never compete for a port.
   */
  public static KubeletSimulator withLoopbackIps(FakeApiServer server, PodRuntime runtime) {
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    return new KubeletSimulator(server, runtime, () -> {
      int n = next.getAndIncrement();
      return "127.1." + (n / 250 % 250) + "." + (n % 250 + 1);
    });
  }

  private KubeletSimulator(FakeApiServer server, PodRuntime runtime, java.util.function.Supplier<String> podIps) {
    this.server = server;
    this.runtime = runtime;
    this.podIps = podIps;
    this.loop = daemon("kubelet").newThread(this::run);
    loop.start();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private void run() {
    ObjectStore store = server.store();
    long from = resync(store);
    while (!closed) {
      try {
        List<ObjectStore.Change> changes = store.changesAfter(from, 500, () -> closed);
        for (ObjectStore.Change c : changes) {
          from = c.resourceVersion();
          if (!c.resource().equals(ResourceType.PODS)) {
            continue;
          }
          String key = c.namespace() + "/" + c.object().path("metadata").path("name").asText();
          if (c.type().equals("DELETED")) {
            if (started.remove(key)) {
              runtime.stop(c.namespace(), c.object().path("metadata").path("name").asText());
            }
          } else if (c.object().path("status").path("phase").asText().equals("Pending") && started.add(key)) {
            ObjectNode pod = c.object().deepCopy();
            starts.execute(() -> start(pod));
          }
        }
      } catch (ApiError e) {
        from = resync(store);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** After a history compaction: start what is pending, as a kubelet re-listing would. */
  private long resync(ObjectStore store) {
    synchronized (store) {
      for (ObjectNode pod : store.list(ResourceType.PODS, null, o -> o.path("status").path("phase").asText().equals("Pending"))) {
        String key = pod.path("metadata").path("namespace").asText() + "/" + pod.path("metadata").path("name").asText();
        if (started.add(key)) {
          starts.execute(() -> start(pod));
        }
      }
      return store.revision();
    }
  }

  private void start(ObjectNode pod) {
    String ns = pod.path("metadata").path("namespace").asText();
    String name = pod.path("metadata").path("name").asText();
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String ip = podIps.get();
    try {
      setStatus(ns, name, "Running", now, ip);
      ObjectNode running = server.get(ResourceType.PODS, ns, name);
      runtime.start(running, () -> {
        if (started.remove(ns + "/" + name)) {
          setStatus(ns, name, "Failed", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), ip);
        }
      });
    } catch (ApiError e) {
      started.remove(ns + "/" + name);
    } catch (Exception e) {
      LOG.warn("runtime could not start pod {}/{}: {}", ns, name, e.toString());
      setStatus(ns, name, "Failed", now, ip);
    }
  }

  private void setStatus(String ns, String name, String phase, String now, String podIp) {
    ObjectStore store = server.store();
    synchronized (store) {
      ObjectNode pod;
      try {
        pod = store.get(ResourceType.PODS, ns, name);
      } catch (ApiError gone) {
        return;
      }
      ObjectNode status = pod.putObject("status");
      status.put("phase", phase);
      status.put("podIP", podIp);
      status.putArray("podIPs").addObject().put("ip", podIp);
      status.put("hostIP", podIp);
      status.put("startTime", now);
      ObjectNode ready = status.putArray("conditions").addObject();
      ready.put("type", "Ready");
      ready.put("status", phase.equals("Running") ? "True" : "False");
      ready.put("lastTransitionTime", now);
      store.putInternal(ResourceType.PODS, ns, name, pod);
    }
  }

  @Override
  public void close() {
    closed = true;
    loop.interrupt();
    starts.shutdownNow();
    for (String key : List.copyOf(started)) {
      String[] p = key.split("/", 2);
      runtime.stop(p[0], p[1]);
    }
    started.clear();
  }
}
