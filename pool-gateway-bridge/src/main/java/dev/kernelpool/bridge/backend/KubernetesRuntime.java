package dev.kernelpool.bridge.backend;

import dev.kernelpool.bridge.kernel.KernelClient;
import dev.kernelpool.bridge.kernel.KernelTimeoutException;
import dev.kernelpool.bridge.launcher.LauncherResponse;
import dev.kernelpool.bridge.metrics.PoolMetrics;
import dev.kernelpool.bridge.pool.KernelConnections;
import dev.kernelpool.bridge.pool.PoolKernel;
import dev.kernelpool.bridge.pool.WarmKernelRegistry;
import dev.kernelpool.bridge.pool.WarmUp;
import dev.kernelpool.core.plan.Plan;
import dev.kernelpool.core.snapshot.MemberState;
import dev.kernelpool.core.snapshot.PoolProfile;
import dev.kernelpool.k8s.KubernetesPool;
import dev.kernelpool.k8s.cluster.ClusterCache;
import dev.kernelpool.k8s.cluster.PoolPod;
import dev.kernelpool.k8s.pods.PoolLabels;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pool kernels as pods, planned by the leader's reconciler in pool-k8s. This replica's part: make
 * the pods that report to it warm (first {@code kernel_info}, warm-up code, then publish the
 * connection info in the pod's Secret and label it warm), and keep its registry equal to the
 * cluster's warm pods, whoever made them warm, so every replica serves claims from every warm pod.
 */
public final class KubernetesRuntime implements PoolRuntime, ClusterCache.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesRuntime.class);

  private final KubernetesPool pool;
  private final KubernetesBackend backend;
  private final WarmKernelRegistry registry;
  private final KernelConnections connections;
  private final Function<PoolProfile, String> warmupCode;
  private final PoolMetrics metrics;
  private final Duration readyTimeout;
  private final ExecutorService checks;
  private final java.util.concurrent.ScheduledExecutorService heartbeats;
  private volatile boolean closed;

  KubernetesRuntime(KubernetesPool pool, KubernetesBackend backend, WarmKernelRegistry registry,
      KernelConnections connections, Function<PoolProfile, String> warmupCode, PoolMetrics metrics, Duration readyTimeout,
      Duration heartbeat) {
    this.pool = pool;
    this.backend = backend;
    this.registry = registry;
    this.connections = connections;
    this.warmupCode = warmupCode;
    this.metrics = metrics;
    this.readyTimeout = readyTimeout;
    AtomicInteger n = new AtomicInteger();
    this.checks = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "pool-readiness-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "pool-heartbeat");
      t.setDaemon(true);
      return t;
    });
    heartbeats.scheduleWithFixedDelay(this::heartbeats, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    pool.addListener(this);
    // the leader's reconciler deletes a pool pod whose image cannot be pulled: count it there, once
    pool.reconciler().onImagePullFailure(profile -> metrics.startFailure("image_pull"));
  }

  /** The leader heartbeat-checks every warm kernel; one that does not answer is deleted and replaced. */
  private void heartbeats() {
    if (!pool.isLeader() || closed) {
      return;
    }
    for (PoolKernel k : registry.all()) {
      if (k.state() == MemberState.WARM && k.launch().isPresent()) {
        try {
          checks.execute(() -> checkHeartbeat(k));
        } catch (RejectedExecutionException e) {
          return;
        }
      }
    }
  }

  private void checkHeartbeat(PoolKernel k) {
    try {
      if (connections.probe(k.launch().orElseThrow().connectionInfo(), Duration.ofSeconds(3))) {
        return;
      }
    } catch (RuntimeException e) {
      LOG.debug("heartbeat of {} failed: {}", k.id(), e.toString());
    }
    // Only a kernel still offered here is discarded: one a claim took meanwhile is the claim's.
    registry.markTerminating(k.id()).ifPresent(gone -> {
      LOG.warn("pool pod {}/{} missed its heartbeat: replacing it", gone.profile().namespace(), gone.id());
      metrics.eviction(gone.profile().namespace(), "DEAD");
      pool.pod(gone.profile().namespace(), gone.id()).ifPresent(p -> pool.discard(p, "its kernel missed its heartbeat"));
    });
  }

  @Override
  public KernelBackend backend() {
    return backend;
  }

  @Override
  public void podChanged(Optional<V1Pod> before, Optional<V1Pod> after) {
    V1Pod pod = after.or(() -> before).orElseThrow();
    sync(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
  }

  @Override
  public void secretChanged(Optional<V1Secret> before, Optional<V1Secret> after) {
    V1Secret s = after.or(() -> before).orElseThrow();
    String podName = s.getMetadata().getLabels() == null ? null : s.getMetadata().getLabels().get(PoolLabels.POD);
    if (podName != null) {
      sync(s.getMetadata().getNamespace(), podName);
    }
  }

  /**
   * Offers a warm pod with its connection info for claims here; forgets every other, a warm pod on
   * a node gone NotReady too (offered again if its node comes back).
   */
  private void sync(String namespace, String name) {
    Optional<PoolPod> pod = pool.pod(namespace, name).filter(PoolPod::isOffered);
    Optional<byte[]> connection = pod.flatMap(pool::connection);
    if (pod.isEmpty() || connection.isEmpty()) {
      registry.get(name).filter(k -> k.profile().namespace().equals(namespace)).ifPresent(k -> {
        registry.remove(name);
        connections.close(name);
      });
      return;
    }
    if (registry.get(name).isPresent()) {
      return;
    }
    try {
      LauncherResponse launch = LauncherResponse.fromJson(connection.get());
      registry.adoptWarm(new PoolKernel(name, pod.get().profile(), MemberState.WARM, pod.get().createdAt(), Optional.of(launch)));
    } catch (RuntimeException e) {
      LOG.warn("pool pod {}/{} has unreadable connection info ({}); discarding it", namespace, name, e.getMessage());
      pool.discard(pod.get(), "unreadable connection info");
    }
  }

  @Override
  public void launched(LauncherResponse response) {
    Optional<PoolPod> pod = pool.findPod(response.kernelId()).filter(p -> !p.isWarm() && !p.isClaimed());
    if (pod.isEmpty()) {
      LOG.warn("launch report for unknown or already warm pool pod {}: ignored", response.kernelId());
      return;
    }
    // The report came from the pod's IP (authentic() checked it), but names the address the
    // launcher bound: 0.0.0.0 for EG's stock launcher. The kernel is at the pod's IP.
    LauncherResponse atPod = pod.get().podIp().map(response::at).orElse(response);
    try {
      checks.execute(() -> prepare(pod.get(), atPod));
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private void prepare(PoolPod pod, LauncherResponse response) {
    String id = pod.name();
    try {
      KernelClient client = connections.open(id, response.connectionInfo());
      WarmUp.run(client, warmupCode.apply(pod.profile()), readyTimeout);
      connections.close(id);
      pool.publishWarm(pod, response.toJson());
      LOG.info("pool pod {}/{} is warm", pod.namespace(), id);
    } catch (KernelTimeoutException | RuntimeException | ApiException e) {
      connections.close(id);
      if (closed) {
        return;
      }
      if (e instanceof ApiException a && a.getCode() == 409) {
        LOG.warn("pool pod {}/{} is no longer starting ({}); left as it is", pod.namespace(), id, a.getMessage());
        return;
      }
      String why = e instanceof ApiException a ? "the API server answered HTTP " + a.getCode() : e.getMessage();
      LOG.warn("pool pod {}/{} did not become warm: {}", pod.namespace(), id, why);
      metrics.startFailure("not_ready");
      pool.discard(pod, "did not become warm: " + why);
    }
  }

  @Override
  public void requestReconcile() {
    pool.requestReconcile();
  }

  @Override
  public void setPaused(boolean paused) {
    pool.reconciler().setPaused(paused);
  }

  @Override
  public boolean isReady() {
    return pool.cache().hasSynced() && pool.lastPlan().isPresent();
  }

  @Override
  public boolean isLeader() {
    return pool.isLeader();
  }

  @Override
  public Optional<Plan> lastPlan() {
    return pool.lastPlan();
  }

  @Override
  public void close() {
    closed = true;
    heartbeats.shutdownNow();
    checks.shutdownNow();
    try {
      checks.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pool.close();
  }
}
