package dev.kernelpool.k8s;

import dev.kernelpool.core.plan.Plan;
import dev.kernelpool.core.plan.Planner;
import dev.kernelpool.core.snapshot.LaunchRecorder;
import dev.kernelpool.core.snapshot.PoolProfile;
import dev.kernelpool.k8s.claim.PodClaimer;
import dev.kernelpool.k8s.cluster.ClusterCache;
import dev.kernelpool.k8s.cluster.KubeClients;
import dev.kernelpool.k8s.cluster.PoolPod;
import dev.kernelpool.k8s.cluster.SnapshotBuilder;
import dev.kernelpool.k8s.events.PoolEvents;
import dev.kernelpool.k8s.history.LaunchHistoryKeeper;
import dev.kernelpool.k8s.leader.Leadership;
import dev.kernelpool.k8s.pods.PodProof;
import dev.kernelpool.k8s.pods.PodTemplate;
import dev.kernelpool.k8s.pods.PoolPods;
import dev.kernelpool.k8s.reconcile.PendingCreates;
import dev.kernelpool.k8s.reconcile.Reconciler;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool on Kubernetes, wired: informers, launch history, leader election, the reconciler, and
 * the writes claims need. Started in that order, closed in reverse. What runs kernels and speaks
 * to them (readiness, warm-up, the hand-off to EG) is the sidecar's; it tells this class when a
 * pod's kernel is warm, and claims pods through it.
 */
public final class KubernetesPool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesPool.class);

  /**
   * @param pool the pool's name: its pods' label, the Lease's and the history ConfigMaps' prefix
   * @param identity this replica's name, as leader and in claim annotations
   * @param leaseNamespace where the leader Lease lives, and the pool's connection Secrets: the
   *     sidecar's own namespace
   * @param syncTimeout how long the informers may take to list at start
   */
  public record Settings(String pool, String identity, String leaseNamespace, Duration leaseDuration,
      Duration renewDeadline, Duration retryPeriod, Duration syncTimeout, Reconciler.Settings reconcile) {}

  private final Settings settings;
  private final ClusterCache cache;
  private final LaunchHistoryKeeper history;
  private final PoolPods pods;
  private final PodClaimer claimer;
  private final PoolEvents events;
  private final Leadership leadership;
  private final Reconciler reconciler;
  /** The pods this replica created that its informer has not shown proven yet. */
  private final PendingCreates pending;

  public KubernetesPool(KubeClients clients, Settings settings, PodTemplate.Settings template, Planner planner,
      LaunchRecorder launches, Function<String, List<PoolProfile>> declared, Clock clock) {
    this(clients, settings, template, planner, launches, declared, p -> true,
        settings.pool().getBytes(java.nio.charset.StandardCharsets.UTF_8), clock);
  }

  /**
   * @param claimable which launches to learn from: those of a profile a claim can name (a pooled
   *     kernelspec); a pool for any other would hold quota and a kernel no launch can take
   * @param proofKey what pool pods are signed with ({@link PodProof}), the same on every replica
   *     and known to no notebook user: the sidecars' claim token (the shorter constructor, for tests
   *     and benchmarks, uses the pool's name)
   */
  public KubernetesPool(KubeClients clients, Settings settings, PodTemplate.Settings template, Planner planner,
      LaunchRecorder launches, Function<String, List<PoolProfile>> declared, Predicate<PoolProfile> claimable,
      byte[] proofKey, Clock clock) {
    this.settings = settings;
    CoreV1Api api = new CoreV1Api(clients.calls());
    PodProof proof = new PodProof(proofKey);
    cache = new ClusterCache(clients, settings.pool(), settings.reconcile().resync(), proof, settings.leaseNamespace());
    history = new LaunchHistoryKeeper(launches, api, settings.pool(), claimable, cache::isActive, clock);
    pods = new PoolPods(clients.calls(), new PodTemplate(template), settings.pool(), settings.leaseNamespace(), proof);
    claimer = new PodClaimer(pods, settings.identity(), clock);
    events = new PoolEvents(api, "kernel-pool/" + settings.identity(), clock);
    Reconciler[] ref = new Reconciler[1];
    leadership = new Leadership(clients.calls(), new Leadership.Settings(settings.leaseNamespace(),
        settings.pool() + "-leader", settings.identity(), settings.leaseDuration(), settings.renewDeadline(),
        settings.retryPeriod()), () -> ref[0].trigger());
    pending = new PendingCreates(clock, proof);
    reconciler = new Reconciler(cache, new SnapshotBuilder(cache, settings.pool(), launches, declared, () -> pending.pods(null), template.footprint()),
        pending, planner, pods, events, history, leadership::isLeader, settings.pool(), clock, settings.reconcile());
    ref[0] = reconciler;
    cache.addListener(pending);
    cache.addListener(history);
    cache.addListener(reconciler);
  }

  /** Lists and watches, loads the launch history, runs for leader and starts reconciling. */
  public void start() throws TimeoutException, InterruptedException, ApiException {
    cache.start(settings.syncTimeout());
    history.load();
    leadership.start();
    reconciler.start();
    LOG.info("kernel pool '{}' on Kubernetes started as {}", settings.pool(), settings.identity());
  }

  public ClusterCache cache() {
    return cache;
  }

  public void addListener(ClusterCache.Listener listener) {
    cache.addListener(listener);
  }

  /** The pool pod named {@code name}, in whatever namespace. */
  public Optional<PoolPod> findPod(String name) {
    for (V1Pod p : cache.pods()) {
      if (name.equals(p.getMetadata().getName())) {
        return cache.poolPod(p);
      }
    }
    return Optional.empty();
  }

  /**
   * The pool pod named {@code name}, waiting up to {@code wait} for the informer to show it when
   * this replica created it and the informer has not shown it proven yet: a launcher can report
   * within milliseconds of its pod's create, and an informer re-establishing its watch shows
   * nothing for a second (seen: a pool pod's report rejected, the pod never warm). A name this
   * replica is not expecting is answered at once, so a forged report holds no handler.
   */
  public Optional<PoolPod> awaitPod(String name, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    Optional<PoolPod> pod = findPod(name);
    while (pod.isEmpty() && pending.expects(name) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      pod = findPod(name);
    }
    return pod;
  }

  /** The pool pod as the cache holds it now. */
  public Optional<PoolPod> pod(String namespace, String name) {
    return cache.pod(namespace, name).flatMap(p -> cache.poolPod(p));
  }

  /**
   * The pod's IP, waiting up to {@code wait} for it to reach the cache: on a real node a container
   * starts, and its launcher reports, before the kubelet's status update with the pod's IP has
   * reached the API server (seen: one report in twelve, rejected as coming from an unknown address).
   */
  public Optional<String> podIp(PoolPod pod, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    Optional<String> ip = pod.podIp();
    while (ip.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      ip = pod(pod.namespace(), pod.name()).filter(p -> p.uid().equals(pod.uid())).flatMap(PoolPod::podIp);
    }
    return ip;
  }

  /** A warm pod's connection info, from its Secret; empty until the Secret is seen. */
  public Optional<byte[]> connection(PoolPod pod) {
    return cache.secret(pods.vault(), PoolPods.secretName(pod.namespace(), pod.name()))
        .filter(s -> s.getMetadata().getAnnotations() != null
            && pod.uid().equals(s.getMetadata().getAnnotations().get(PoolPods.POD_UID)))
        .map(V1Secret::getData).map(d -> d.get(PoolPods.CONNECTION_KEY));
  }

  /** Every warm pod of the pool that claims may take ({@link PoolPod#isOffered()}) whose connection Secret is in the cache. */
  public List<PoolPod> warmPods() {
    return cache.pods().stream().map(p -> cache.poolPod(p)).flatMap(Optional::stream)
        .filter(PoolPod::isOffered).filter(p -> connection(p).isPresent()).toList();
  }

  /** Offers a started pod's kernel for claims. */
  public void publishWarm(PoolPod pod, byte[] connectionJson) throws ApiException {
    pods.publishWarm(pod.namespace(), pod.name(), pod.uid(), connectionJson);
    events.normal(pod.namespace(), pod.name(), pod.uid(), "Warm", "kernel answered and ran its warm-up; ready for claims");
  }

  public PodClaimer claimer() {
    return claimer;
  }

  public PoolEvents events() {
    return events;
  }

  /** Deletes a pool pod that cannot serve (not ready, dead, a failed hand-off); best effort. */
  public void discard(PoolPod pod, String reason) {
    try {
      pods.delete(pod.namespace(), pod.name(), null);
      events.warning(pod.namespace(), pod.name(), pod.uid(), "Discarded", reason);
    } catch (ApiException e) {
      if (e.getCode() != 404) {
        LOG.warn("cannot delete pool pod {}/{} (HTTP {}); the reconciler retries", pod.namespace(), pod.name(), e.getCode());
      }
    }
  }

  public boolean isLeader() {
    return leadership.isLeader();
  }

  public Optional<Plan> lastPlan() {
    return reconciler.lastPlan();
  }

  public void requestReconcile() {
    reconciler.trigger();
  }

  public Reconciler reconciler() {
    return reconciler;
  }

  @Override
  public void close() {
    reconciler.close();
    leadership.close();
    events.close();
    cache.close();
  }
}
