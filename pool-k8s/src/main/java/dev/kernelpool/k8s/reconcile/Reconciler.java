package dev.kernelpool.k8s.reconcile;

import dev.kernelpool.core.plan.NamespacePlan;
import dev.kernelpool.core.plan.Plan;
import dev.kernelpool.core.plan.PlanAction;
import dev.kernelpool.core.plan.Planner;
import dev.kernelpool.core.snapshot.PoolProfile;
import dev.kernelpool.k8s.cluster.ClusterCache;
import dev.kernelpool.k8s.cluster.PoolPod;
import dev.kernelpool.k8s.cluster.SnapshotBuilder;
import dev.kernelpool.k8s.events.PoolEvents;
import dev.kernelpool.k8s.history.LaunchHistoryKeeper;
import dev.kernelpool.k8s.pods.ContainerExit;
import dev.kernelpool.k8s.pods.ImagePull;
import dev.kernelpool.k8s.pods.PoolLabels;
import dev.kernelpool.k8s.pods.PoolPods;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the pool pods at the planner's plan. Runs on watch events, debounced, with a periodic
 * resync as the safety net, one reconcile at a time on its own thread. Every replica plans (for
 * its status page); only the leader writes: creates pods, deletes evicted ones (with their
 * resourceVersion as precondition, so a pod claimed meanwhile stays), deletes pool pods that ended,
 * and connection Secrets whose pod is gone or claimed, and saves the launch history. A failing API
 * backs reconciles off exponentially; a namespace whose quota refuses a pod gets no new pods until
 * a quota back-off has passed, so a full quota causes no retry storm.
 */
public final class Reconciler implements ClusterCache.Listener, AutoCloseable {
  /** How long a pod the pool created may go unproven (the proof is written right after the create) before it counts as a leftover. */
  static final Duration UNPROVEN_GRACE = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  /**
   * @param maxStartingPerNamespace pool pods that may be starting at once in one namespace: a
   *     fill of many kernels comes in waves instead of one stampede of image pulls and starts
   */
  public record Settings(Duration debounce, Duration resync, Duration historySave, Duration initialBackoff,
      Duration maxBackoff, Duration quotaBackoff, int maxStartingPerNamespace) {
    public static final Settings DEFAULTS = new Settings(Duration.ofMillis(200), Duration.ofSeconds(60),
        Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(2), 20);

    public Settings {
      if (maxStartingPerNamespace < 1) {
        throw new IllegalArgumentException("maxStartingPerNamespace must be at least 1, got " + maxStartingPerNamespace);
      }
    }
  }

  private final ClusterCache cache;
  private final PendingCreates pendingCreates;
  private final ColdStartCheck coldStarts;
  private final SnapshotBuilder snapshots;
  private final Planner planner;
  private final PoolPods pods;
  private final PoolEvents events;
  private final LaunchHistoryKeeper history;
  private final BooleanSupplier leader;
  private final String pool;
  private final Clock clock;
  private final Settings settings;
  private final ScheduledExecutorService loop;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final AtomicBoolean replanScheduled = new AtomicBoolean();
  private final AtomicReference<Optional<Plan>> lastPlan = new AtomicReference<>(Optional.empty());
  private final Map<String, Instant> quotaRefusedUntil = new ConcurrentHashMap<>();
  private final ImageBackoff images = new ImageBackoff();
  private final List<Consumer<PoolProfile>> imagePullFailures = new CopyOnWriteArrayList<>();
  private final SecureRandom random = new SecureRandom();
  private final AtomicLong reconciles = new AtomicLong();
  private final AtomicLong lastNanos = new AtomicLong();
  private volatile boolean paused;
  private int failures;
  private Instant retryAfter = Instant.MIN;

  /** @param pendingCreates the pods this replica created that the informer has not shown yet */
  public Reconciler(ClusterCache cache, SnapshotBuilder snapshots, PendingCreates pendingCreates, Planner planner,
      PoolPods pods, PoolEvents events, LaunchHistoryKeeper history, BooleanSupplier leader, String pool, Clock clock,
      Settings settings) {
    this.pendingCreates = pendingCreates;
    this.coldStarts = new ColdStartCheck(pods.api());
    this.cache = cache;
    this.snapshots = snapshots;
    this.planner = planner;
    this.pods = pods;
    this.events = events;
    this.history = history;
    this.leader = leader;
    this.pool = pool;
    this.clock = clock;
    this.settings = settings;
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "pool-reconciler");
      t.setDaemon(true);
      return t;
    });
  }

  public void start() {
    loop.scheduleWithFixedDelay(this::trigger, 0, settings.resync().toMillis(), TimeUnit.MILLISECONDS);
    loop.scheduleWithFixedDelay(this::saveHistory, settings.historySave().toMillis(), settings.historySave().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Reconciles after the debounce delay, once for every trigger that arrives meanwhile. */
  public void trigger() {
    if (pending.compareAndSet(false, true)) {
      try {
        loop.schedule(this::reconcile, settings.debounce().toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        pending.set(false);
      }
    }
  }

  @Override
  public void podChanged(Optional<V1Pod> before, Optional<V1Pod> after) {
    trigger();
  }

  @Override
  public void secretChanged(Optional<V1Secret> before, Optional<V1Secret> after) {
    trigger();
  }

  @Override
  public void namespaceChanged(String namespace) {
    trigger();
  }

  public Optional<Plan> lastPlan() {
    return lastPlan.get();
  }

  /** Paused, the reconciler still plans but changes nothing: for maintenance and fixed-size tests. */
  public void setPaused(boolean paused) {
    this.paused = paused;
    if (!paused) {
      trigger();
    }
  }

  /** How long the last reconcile took, snapshot to applied plan. */
  public Duration lastDuration() {
    return Duration.ofNanos(lastNanos.get());
  }

  /** Reconciles run so far. */
  public long reconciles() {
    return reconciles.get();
  }

  private void reconcile() {
    pending.set(false);
    Instant now = clock.instant();
    if (now.isBefore(retryAfter)) {
      loop.schedule(this::trigger, Duration.between(now, retryAfter).toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    long t0 = System.nanoTime();
    try {
      Plan plan = planner.plan(snapshots.build(now), now);
      lastPlan.set(Optional.of(plan));
      plan.replanBy().ifPresent(at -> replanAt(at, now));
      if (leader.getAsBoolean() && !paused) {
        for (NamespacePlan ns : plan.namespaces()) {
          if (ns.eligibility().keepsPool()) {
            coldStarts.check(ns.namespace(), cache.quotas(ns.namespace()));
          }
          int[] room = {-1};
          for (PlanAction action : ns.actions()) {
            if (action instanceof PlanAction.Create && room[0] < 0) {
              room[0] = Math.max(0, settings.maxStartingPerNamespace() - starting(ns.namespace()));
            }
            apply(ns.namespace(), action, now, room);
          }
        }
        cleanUp(now);
      }
      failures = 0;
      lastNanos.set(System.nanoTime() - t0);
      reconciles.incrementAndGet();
    } catch (ApiException e) {
      backOff(now, "HTTP " + e.getCode() + (e.getCode() == 0 ? " (" + e.getMessage() + ")" : ""));
    } catch (RuntimeException e) {
      LOG.error("reconcile failed", e);
      backOff(now, e.toString());
    }
  }

  /** One reconcile by {@code at}, which a plan asked for (a burst is ahead): one scheduled at a time. */
  private void replanAt(Instant at, Instant now) {
    if (replanScheduled.compareAndSet(false, true)) {
      long delay = Math.max(1, at.toEpochMilli() - now.toEpochMilli());
      loop.schedule(() -> {
        replanScheduled.set(false);
        trigger();
      }, delay, TimeUnit.MILLISECONDS);
    }
  }

  private void backOff(Instant now, String why) {
    failures++;
    long millis = Math.min(settings.maxBackoff().toMillis(), settings.initialBackoff().toMillis() << Math.min(failures - 1, 20));
    retryAfter = now.plusMillis(millis);
    LOG.warn("reconcile failed ({}); retrying in {} ms", why, millis);
    loop.schedule(this::trigger, millis, TimeUnit.MILLISECONDS);
  }

  /** @param room pool pods this reconcile may still start in the namespace; creates use it up */
  private void apply(String namespace, PlanAction action, Instant now, int[] room) throws ApiException {
    if (action instanceof PlanAction.Delete d) {
      Optional<PoolPod> pod = cache.pod(namespace, d.memberId()).flatMap(p -> cache.poolPod(p));
      if (pod.isPresent() && !pod.get().isClaimed()) {
        delete(pod.get(), "Evicted", d.reason().name());
      }
    } else if (action instanceof PlanAction.Create c) {
      Instant refused = quotaRefusedUntil.get(namespace);
      if (refused != null && now.isBefore(refused) || images.blocks(c.profile(), now)) {
        return;
      }
      int count = Math.min(c.count(), room[0]);
      for (int i = 0; i < count; i++) {
        room[0]--;
        String name = "kp-" + HexFormat.of().formatHex(randomBytes());
        try {
          V1Pod created = pods.create(name, c.profile());
          pendingCreates.created(created);
          pods.prove(created);
          events.normal(namespace, name, created.getMetadata().getUid(), "Created",
              "pool kernel of " + c.profile().kernelspec() + " (profile " + c.profile().hash() + ")");
          LOG.info("created pool pod {}/{} of {}", namespace, name, c.profile().kernelspec());
        } catch (ApiException e) {
          if (e.getCode() == 403) {
            quotaRefusedUntil.put(namespace, now.plus(settings.quotaBackoff()));
            LOG.warn("the API refused a pool pod in {} ({}); no new pool pods there for {}", namespace,
                statusMessage(e.getResponseBody()), settings.quotaBackoff());
            return;
          }
          if (e.getCode() == 422 || e.getCode() == 400) {
            LOG.warn("the API rejected the pool pod for {} in {}: {}", c.profile().kernelspec(), namespace, statusMessage(e.getResponseBody()));
            return;
          }
          throw e;
        } catch (IllegalArgumentException e) {
          LOG.warn("cannot build a pool pod for {} in {}: {}", c.profile().kernelspec(), namespace, e.getMessage());
          return;
        }
      }
    }
  }

  /** Pool pods of {@code namespace} that are starting (created, not yet warm, not ended), those the informer has not shown yet included. */
  private int starting(String namespace) {
    int n = 0;
    for (V1Pod p : pendingCreates.pods(namespace)) {
      // counted here until the informer shows it proven (below): one seen before its proof is neither
      if (!cache.showsProven(namespace, p.getMetadata().getName())) {
        n++;
      }
    }
    for (V1Pod p : cache.pods(namespace)) {
      Optional<PoolPod> pod = cache.poolPod(p);
      if (pod.isPresent() && !pod.get().isWarm() && !pod.get().isClaimed() && !pod.get().hasEnded() && !pod.get().deleting()) {
        n++;
      }
    }
    return n;
  }

  /** The {@code message} of a Status body, for one log line (the whole body if there is none). */
  private static String statusMessage(String body) {
    if (body == null) {
      return "";
    }
    try {
      com.google.gson.JsonElement status = com.google.gson.JsonParser.parseString(body);
      if (status.isJsonObject() && status.getAsJsonObject().has("message")) {
        return status.getAsJsonObject().get("message").getAsString();
      }
    } catch (RuntimeException e) {
      // not a Status: the body as it is
    }
    return body;
  }

  private void delete(PoolPod pod, String reason, String detail) throws ApiException {
    if (deleteUnchanged(pod)) {
      events.normal(pod.namespace(), pod.name(), pod.uid(), reason, detail);
      LOG.info("deleted pool pod {}/{} ({})", pod.namespace(), pod.name(), detail);
    }
  }

  /** Deletes a pool pod still as the cache saw it; false if it is gone already, or changed (claimed) since: nothing to do. */
  private boolean deleteUnchanged(PoolPod pod) throws ApiException {
    try {
      pods.delete(pod.namespace(), pod.name(), pod.resourceVersion());
      return true;
    } catch (ApiException e) {
      if (e.getCode() != 404 && e.getCode() != 409) {
        throw e;
      }
      return false;
    }
  }

  /**
   * A starting pool pod whose image the kubelet cannot get is deleted, and its profile waits out
   * {@link ImageBackoff} before the next one: a Warning Event on the pod says why and for how long.
   */
  private void imageUnavailable(PoolPod pod, String why, Instant now) throws ApiException {
    Instant until = images.failed(pod.profile(), now);
    String message = "image " + pod.profile().image() + " of kernelspec " + pod.profile().kernelspec() + " cannot be pulled ("
        + why + "); no pool pods of this profile in " + pod.namespace() + " until " + until.truncatedTo(ChronoUnit.SECONDS)
        + " (a back-off from " + ImageBackoff.FIRST.toMinutes() + " min, doubling while it fails)";
    if (deleteUnchanged(pod)) {
      events.warning(pod.namespace(), pod.name(), pod.uid(), "ImagePullFailed", message);
      LOG.warn("deleted pool pod {}/{}: {}", pod.namespace(), pod.name(), message);
      imagePullFailures.forEach(l -> l.accept(pod.profile()));
    }
  }

  /** Called with a pool pod's profile each time the leader deletes one whose image cannot be pulled. */
  public void onImagePullFailure(Consumer<PoolProfile> listener) {
    imagePullFailures.add(listener);
  }

  /** Pool pods that ended or whose image cannot be pulled, and Secrets whose pod is gone or claimed. */
  private void cleanUp(Instant now) throws ApiException {
    for (V1Pod p : cache.unproven(now.minus(UNPROVEN_GRACE))) {
      try {
        pods.delete(p.getMetadata().getNamespace(), p.getMetadata().getName(), p.getMetadata().getResourceVersion());
        LOG.info("deleted pod {}/{}: it has the pool's labels but no valid proof (left by a replica that stopped before "
            + "proving it, or made by someone else)", p.getMetadata().getNamespace(), p.getMetadata().getName());
      } catch (ApiException e) {
        if (e.getCode() != 404 && e.getCode() != 409) {
          throw e;
        }
      }
    }
    for (V1Pod p : cache.pods()) {
      Optional<PoolPod> pod = cache.poolPod(p);
      if (pod.isPresent() && pod.get().isWarm()) {
        images.succeeded(pod.get().profile());
      }
      Optional<String> pullFailure = pod.isPresent() && !pod.get().isWarm() && !pod.get().isClaimed() && !pod.get().deleting()
          ? ImagePull.failure(p) : Optional.empty();
      if (pullFailure.isPresent()) {
        imageUnavailable(pod.get(), pullFailure.get(), now);
        continue;
      }
      if (pod.isPresent() && pod.get().hasEnded() && !pod.get().isClaimed() && !pod.get().deleting()) {
        String exit = ContainerExit.describe(p);
        delete(pod.get(), "Ended", "pool pod's kernel exited (" + pod.get().phase() + (exit.isEmpty() ? "" : ": " + exit) + ")");
      }
    }
    for (V1Secret s : cache.secrets()) {
      Map<String, String> labels = s.getMetadata().getLabels() == null ? Map.of() : s.getMetadata().getLabels();
      String podName = labels.get(PoolLabels.POD);
      String podNamespace = labels.get(PoolLabels.POD_NAMESPACE);
      boolean orphan = podName == null || podNamespace == null
          || cache.pod(podNamespace, podName).flatMap(p -> cache.poolPod(p)).map(PoolPod::isClaimed).orElse(true);
      if (orphan) {
        try {
          pods.deleteSecret(s.getMetadata().getNamespace(), s.getMetadata().getName());
        } catch (ApiException e) {
          if (e.getCode() != 404) {
            throw e;
          }
        }
      }
    }
  }

  private void saveHistory() {
    if (leader.getAsBoolean() && history.hasUnsaved()) {
      history.save();
    }
  }

  private byte[] randomBytes() {
    byte[] b = new byte[5];
    random.nextBytes(b);
    return b;
  }

  @Override
  public void close() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
