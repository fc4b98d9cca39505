package dev.kernelpool.bridge.sidecar;

import dev.kernelpool.bridge.backend.BackendException;
import dev.kernelpool.bridge.backend.KernelBackend;
import dev.kernelpool.bridge.backend.LaunchHistoryFile;
import dev.kernelpool.bridge.backend.NamespaceView;
import dev.kernelpool.bridge.config.ControllerSettings;
import dev.kernelpool.bridge.kernel.KernelClient;
import dev.kernelpool.bridge.kernel.KernelTimeoutException;
import dev.kernelpool.bridge.launcher.LauncherResponse;
import dev.kernelpool.bridge.metrics.PoolMetrics;
import dev.kernelpool.bridge.pool.KernelConnections;
import dev.kernelpool.core.snapshot.KernelspecPopularity;
import dev.kernelpool.core.snapshot.LaunchRecorder;
import dev.kernelpool.bridge.pool.PoolKernel;
import dev.kernelpool.bridge.pool.WarmKernelRegistry;
import dev.kernelpool.bridge.pool.WarmUp;
import dev.kernelpool.core.plan.NamespacePlan;
import dev.kernelpool.core.plan.Plan;
import dev.kernelpool.core.plan.PlanAction;
import dev.kernelpool.core.plan.Planner;
import dev.kernelpool.core.snapshot.ClusterSnapshot;
import dev.kernelpool.core.snapshot.MemberState;
import dev.kernelpool.core.snapshot.NamespaceState;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the pool at the planner's plan. Reconciles run one at a time on the controller's own
 * thread, triggered by claims, launch reports, kernel deaths and a resync timer; triggers that
 * arrive while one is pending coalesce. Readiness checks (first {@code kernel_info}, then the
 * profile's warm-up code) and heartbeats run on a small separate pool, so a slow kernel never
 * delays planning.
 */
public final class PoolController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PoolController.class);


  /** How often the launch history is written when it changed (and once more at close). */
  static final Duration HISTORY_SAVE = Duration.ofMinutes(1);

  private final KernelBackend backend;
  private final WarmKernelRegistry registry;
  private final KernelConnections connections;
  private final LaunchRecorder launches;
  private final Planner planner;
  private final Function<PoolProfile, String> warmupCode;
  private final PoolMetrics metrics;
  private final Clock clock;
  private final ControllerSettings settings;
  private final Optional<LaunchHistoryFile> history;
  private final ScheduledExecutorService loop;
  private final ExecutorService checks;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final StartBackoff backoff = new StartBackoff();
  private final AtomicBoolean backoffScheduled = new AtomicBoolean();
  private final AtomicBoolean replanScheduled = new AtomicBoolean();
  private final AtomicReference<Optional<Plan>> lastPlan = new AtomicReference<>(Optional.empty());
  private final SecureRandom ids = new SecureRandom();
  private volatile boolean closed;
  private volatile boolean paused;

  public PoolController(
      KernelBackend backend,
      WarmKernelRegistry registry,
      KernelConnections connections,
      LaunchRecorder launches,
      Optional<LaunchHistoryFile> history,
      Planner planner,
      Function<PoolProfile, String> warmupCode,
      PoolMetrics metrics,
      Clock clock,
      ControllerSettings settings) {
    this.history = history;
    this.backend = backend;
    this.registry = registry;
    this.connections = connections;
    this.launches = launches;
    this.planner = planner;
    this.warmupCode = warmupCode;
    this.metrics = metrics;
    this.clock = clock;
    this.settings = settings;
    this.loop = Executors.newSingleThreadScheduledExecutor(named("pool-controller", new AtomicInteger()));
    this.checks = Executors.newFixedThreadPool(4, named("pool-readiness", new AtomicInteger()));
    backend.onKernelGone(this::kernelGone);
  }

  private static java.util.concurrent.ThreadFactory named(String prefix, AtomicInteger n) {
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Starts the resync and heartbeat timers and plans once. */
  public void start() {
    loop.scheduleWithFixedDelay(() -> trigger("resync"), 0, settings.resync().toMillis(), TimeUnit.MILLISECONDS);
    loop.scheduleWithFixedDelay(
        this::heartbeats, settings.heartbeat().toMillis(), settings.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
    history.ifPresent(h -> loop.scheduleWithFixedDelay(
        () -> h.save(launches, clock.instant()), HISTORY_SAVE.toMillis(), HISTORY_SAVE.toMillis(), TimeUnit.MILLISECONDS));
  }

  /** Plans and applies soon; coalesces with a reconcile already pending. */
  public void requestReconcile() {
    trigger("event");
  }

  private void trigger(String why) {
    if (!closed && pending.compareAndSet(false, true)) {
      try {
        loop.execute(() -> reconcile(why));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        pending.set(false);
      }
    }
  }

  /**
   * Pauses or resumes changes to the pool: while paused the controller neither creates nor
   * deletes pool kernels, nor heartbeat-checks them (claims are still served). For maintenance, and for tests that need a
   * pool of a fixed size.
   */
  public void setPaused(boolean paused) {
    this.paused = paused;
    if (!paused) {
      requestReconcile();
    }
  }

  /** The last plan, once the controller has planned. */
  public Optional<Plan> lastPlan() {
    return lastPlan.get();
  }

  /** Whether the controller has planned at least once. */
  public boolean isReady() {
    return lastPlan.get().isPresent();
  }

  /** Why the pool cannot fill (kernels keep failing to start), for {@code /readyz}; empty when it can. */
  public Optional<String> problem() {
    return backoff.problem();
  }

  private void reconcile(String why) {
    pending.set(false);
    if (closed) {
      return;
    }
    try {
      Instant now = clock.instant();
      List<NamespaceState> namespaces = new ArrayList<>();
      KernelspecPopularity popularity = launches.popularity(now);
      for (NamespaceView ns : backend.namespaces()) {
        namespaces.add(
            new NamespaceState(
                ns.name(), ns.labels(), ns.quota(), registry.members(ns.name()), launches.history(ns.name(), now),
                ns.declaredProfiles(), popularity));
      }
      Plan plan = planner.plan(new ClusterSnapshot(namespaces), now);
      lastPlan.set(Optional.of(plan));
      metrics.reconcile(why);
      plan.replanBy().ifPresent(at -> triggerAt(replanScheduled, "burst", at, now));
      if (paused) {
        return;
      }
      for (NamespacePlan ns : plan.namespaces()) {
        for (PlanAction action : ns.actions()) {
          apply(ns.namespace(), action, now);
        }
      }
    } catch (RuntimeException e) {
      LOG.error("reconcile failed; retrying at the next trigger", e);
    }
  }

  private void apply(String namespace, PlanAction action, Instant now) {
    if (action instanceof PlanAction.Delete d) {
      registry.markTerminating(d.memberId()).ifPresent(k -> {
        LOG.info("deleting pool kernel {} ({})", k.id(), d.reason());
        metrics.eviction(namespace, d.reason().name());
        connections.close(k.id());
        backend.stop(k);
      });
    } else if (action instanceof PlanAction.Create c) {
      Optional<Instant> allowed = backoff.startsAllowedAt(now);
      if (allowed.isPresent()) {
        triggerAt(backoffScheduled, "backoff", allowed.get(), now);
        return;
      }
      for (int i = 0; i < c.count(); i++) {
        String id = "pool-" + HexFormat.of().formatHex(randomBytes());
        registry.addStarting(id, c.profile(), now);
        try {
          backend.start(id, c.profile());
          metrics.started(namespace, c.profile().kernelspec());
          LOG.info("starting pool kernel {} of {} in {}", id, c.profile().kernelspec(), namespace);
        } catch (BackendException e) {
          registry.remove(id);
          metrics.startFailure("backend");
          LOG.warn("cannot start a pool kernel of {}: {}", c.profile().kernelspec(), e.getMessage());
          return;
        }
      }
    }
  }

  /**
   * One reconcile at {@code at}, for {@code why}, while none for the same reason is scheduled (not
   * one per plan in between): when the start back-off ends, or by when a plan asked to be planned
   * again (a burst is ahead).
   */
  private void triggerAt(AtomicBoolean scheduled, String why, Instant at, Instant now) {
    if (scheduled.compareAndSet(false, true)) {
      long delay = Math.max(1, at.toEpochMilli() - now.toEpochMilli());
      loop.schedule(() -> {
        scheduled.set(false);
        trigger(why);
      }, delay, TimeUnit.MILLISECONDS);
    }
  }

  private void startFailed(String cause) {
    if (backoff.failed(clock.instant(), cause)) {
      LOG.warn("backing off pool kernel starts: {}", backoff.problem().orElse(cause));
    }
  }

  private byte[] randomBytes() {
    byte[] b = new byte[6];
    ids.nextBytes(b);
    return b;
  }

  /** A launcher reported: check the kernel is ready, warm it up, then offer it for claims. */
  public void launched(LauncherResponse response) {
    Optional<PoolKernel> kernel = registry.launched(response.kernelId(), response);
    if (kernel.isEmpty()) {
      LOG.warn("launch report for unknown or already reported kernel {}: ignored", response.kernelId());
      return;
    }
    try {
      checks.execute(() -> prepare(kernel.get()));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("launch report for {} after the controller stopped: ignored", response.kernelId());
    }
  }

  private void prepare(PoolKernel kernel) {
    String id = kernel.id();
    try {
      KernelClient client = connections.open(id, kernel.launch().orElseThrow().connectionInfo());
      WarmUp.run(client, warmupCode.apply(kernel.profile()), settings.readyTimeout());
      if (registry.markWarm(id)) {
        backoff.succeeded();
        LOG.info("pool kernel {} is warm", id);
      } else {
        connections.close(id);
      }
    } catch (KernelTimeoutException | RuntimeException e) {
      if (closed) {
        return;
      }
      LOG.warn("pool kernel {} did not become ready: {}", id, e.getMessage());
      metrics.startFailure("not_ready");
      startFailed("pool kernel " + id + " did not become ready: " + e.getMessage());
      discard(id);
    }
    requestReconcile();
  }

  private void heartbeats() {
    if (paused) {
      return;
    }
    for (PoolKernel k : registry.all()) {
      if (k.state() != MemberState.WARM) {
        continue;
      }
      checks.execute(() -> checkHeartbeat(k));
    }
  }

  private void checkHeartbeat(PoolKernel k) {
    try {
      Optional<KernelClient> client = connections.get(k.id());
      if (client.isEmpty() || client.get().heartbeat(Duration.ofSeconds(3))) {
        return;
      }
      // Only a kernel still in the pool is discarded: one a claim took meanwhile is the claim's.
      registry.markTerminating(k.id()).ifPresent(gone -> {
        LOG.warn("pool kernel {} missed its heartbeat: replacing it", k.id());
        metrics.eviction(k.profile().namespace(), "DEAD");
        connections.close(k.id());
        backend.stop(gone);
        requestReconcile();
      });
    } catch (RuntimeException e) {
      if (!closed) {
        LOG.warn("heartbeat of pool kernel {} failed: {}", k.id(), e.getMessage());
      }
    }
  }

  private void discard(String id) {
    connections.close(id);
    registry.markTerminating(id).ifPresent(backend::stop);
  }

  private void kernelGone(String id) {
    if (closed) {
      return;
    }
    // Out of the pool and replaced first: closing its connection waits for a readiness check still
    // talking to it (up to the ready timeout), which held up the replacement by a minute in a CI run.
    registry.remove(id).ifPresent(k -> {
      if (k.state() != MemberState.TERMINATING) {
        LOG.warn("pool kernel {} exited while {}", id, k.state());
        metrics.eviction(k.profile().namespace(), "EXITED");
      }
      if (k.state() == MemberState.STARTING) {
        metrics.startFailure("exited");
        startFailed("pool kernel " + id + " exited while starting: " + backend.exitCause(id).orElse("no output"));
      }
    });
    requestReconcile();
    connections.close(id);
  }

  @Override
  public void close() {
    closed = true;
    loop.shutdownNow();
    checks.shutdownNow();
    try {
      loop.awaitTermination(10, TimeUnit.SECONDS);
      checks.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    history.ifPresent(h -> h.save(launches, clock.instant()));
  }
}
