package dev.kernelpool.bridge.claim;

import dev.kernelpool.bridge.backend.BackendException;
import dev.kernelpool.bridge.backend.KernelBackend;
import dev.kernelpool.bridge.backend.KernelLostException;
import dev.kernelpool.bridge.backend.KernelProcess;
import dev.kernelpool.bridge.backend.ResizeResult;
import dev.kernelpool.bridge.kernel.KernelClient;
import dev.kernelpool.bridge.launcher.LauncherResponse;
import dev.kernelpool.bridge.launcher.ResponseSender;
import dev.kernelpool.bridge.metrics.PoolMetrics;
import dev.kernelpool.bridge.pool.KernelConnections;
import dev.kernelpool.bridge.pool.PoolKernel;
import dev.kernelpool.bridge.pool.WarmKernelRegistry;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves claims: records the launch, takes a warm kernel of exactly the request's profile, binds
 * it in the backend (on Kubernetes: the exactly-once claim of its pod; a kernel another replica
 * claimed first is skipped for the next), resizes it to the request's resources, personalizes it
 * and sends its connection info, with EG's kernel id, to EG's response address under EG's public
 * key. A kernel that was bound but could not be handed over is discarded, never returned to the
 * pool. Every claim triggers a refill.
 *
 * <p>A claim never reaches EG after the launch script's deadline: a kernel taken but not yet
 * touched when the deadline passes goes back to the pool; one already bound or personalized is
 * stopped. A claim for a kernel id that has a claim in progress, or a handed-out kernel still
 * running, misses: one EG kernel never gets two.
 */
public final class ClaimService {
  private static final Logger LOG = LoggerFactory.getLogger(ClaimService.class);

  private final ProfileResolver profiles;
  private final WarmKernelRegistry registry;
  private final KernelConnections connections;
  private final KernelBackend backend;
  private final BiConsumer<PoolProfile, Instant> launches;
  private final Personalizer personalizer;
  private final ResponseSender sender;
  private final PoolMetrics metrics;
  private final Runnable refill;
  private final Clock clock;
  private final Duration timeout;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  public ClaimService(
      ProfileResolver profiles,
      WarmKernelRegistry registry,
      KernelConnections connections,
      KernelBackend backend,
      BiConsumer<PoolProfile, Instant> launches,
      Personalizer personalizer,
      ResponseSender sender,
      PoolMetrics metrics,
      Runnable refill,
      Clock clock,
      Duration timeout) {
    this.profiles = profiles;
    this.registry = registry;
    this.connections = connections;
    this.backend = backend;
    this.launches = launches;
    this.personalizer = personalizer;
    this.sender = sender;
    this.metrics = metrics;
    this.refill = refill;
    this.clock = clock;
    this.timeout = timeout;
  }

  public ClaimOutcome claim(ClaimRequest request) {
    if (!inFlight.add(request.kernelId())) {
      return duplicate(request, "a claim for this kernel id is already in progress");
    }
    try {
      if (backend.serves(request.kernelId())) {
        return duplicate(request, "a kernel handed out for this kernel id still runs");
      }
      return claimOnce(request);
    } finally {
      inFlight.remove(request.kernelId());
    }
  }

  private ClaimOutcome claimOnce(ClaimRequest request) {
    long start = System.nanoTime();
    PoolProfile profile;
    try {
      profile = profiles.resolve(request.kernelspec(), request.env());
    } catch (ProfileResolver.UnresolvableException e) {
      return miss(OTHER, OTHER, e.reason(), e.getMessage());
    }
    if (!backend.knowsNamespace(profile.namespace())) {
      return miss(OTHER, profile.kernelspec(), "unknown_namespace", "namespace " + profile.namespace() + " has no pool");
    }
    launches.accept(profile, clock.instant());
    try {
      for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        if (pastDeadline(request)) {
          return tooLate(request, profile);
        }
        Optional<PoolKernel> taken = registry.take(profile);
        if (taken.isEmpty()) {
          return miss(profile.namespace(), profile.kernelspec(), "no_warm_kernel", "no warm kernel of this profile");
        }
        PoolKernel kernel = taken.get();
        try {
          if (pastDeadline(request)) {
            // Untouched: back to the pool, warm as it was.
            if (!registry.putBack(kernel)) {
              connections.close(kernel.id());
              backend.stop(kernel);
            }
            return tooLate(request, profile);
          }
          try {
            backend.bind(kernel, request.kernelId());
          } catch (KernelLostException e) {
            LOG.debug("pool kernel {} was claimed elsewhere; trying the next", kernel.id());
            connections.close(kernel.id());
            continue;
          } catch (BackendException e) {
            return failed(kernel, request, "bind", e);
          }
          return handOver(kernel, request, start);
        } finally {
          registry.claimEnded(kernel.id());
        }
      }
      return miss(profile.namespace(), profile.kernelspec(), "contended",
          "every warm kernel tried was claimed by another replica first");
    } finally {
      refill.run();
    }
  }

  private ClaimOutcome duplicate(ClaimRequest request, String message) {
    LOG.warn("claim for kernel {} refused: {}", request.kernelId(), message);
    return miss(OTHER, OTHER, "duplicate_kernel_id", message);
  }

  /**
   * The metric label for a namespace or kernelspec the client named but no pool has: whatever a
   * client sends never becomes a series of its own.
   */
  static final String OTHER = "other";

  private ClaimOutcome tooLate(ClaimRequest request, PoolProfile profile) {
    LOG.warn("claim for kernel {} handled after the launch script's deadline ({}): nothing handed over; "
        + "the script launched cold (is the sidecar starved of CPU?)", request.kernelId(),
        request.deadline().map(Object::toString).orElse("none"));
    return miss(profile.namespace(), profile.kernelspec(), "too_late",
        "the launch script's deadline has passed; it launches cold");
  }

  /**
   * Whether the launch script will have given up by the time a hand-off could reach EG: its
   * deadline, less a margin for the hand-off itself. EG must never get a warm kernel for a launch
   * the script already started cold.
   */
  private boolean pastDeadline(ClaimRequest request) {
    return request.deadline().map(d -> clock.millis() > d.toEpochMilli() - DEADLINE_MARGIN_MS).orElse(false);
  }

  /** How long the delivery to EG may take: the step timeout, and never past the script's deadline. */
  private Duration deliveryTimeout(ClaimRequest request) {
    return request.deadline()
        .map(d -> Duration.ofMillis(Math.max(1, d.toEpochMilli() - DELIVERY_SLACK_MS - clock.millis())))
        .filter(left -> left.compareTo(timeout) < 0)
        .orElse(timeout);
  }

  /**
   * How long the personalization's confirmation may take once EG has the kernel: the step timeout,
   * and never so long that the answer could miss the script's deadline. Stopping a kernel whose
   * confirmation failed, and the answer itself, come after it: with 50 ms left, a busy host's
   * script saw its deadline first and launched cold as well (EG got two kernels for one launch).
   */
  private Duration confirmTimeout(ClaimRequest request) {
    return request.deadline()
        .map(d -> Duration.ofMillis(Math.max(1, d.toEpochMilli() - ANSWER_MARGIN_MS - clock.millis())))
        .filter(left -> left.compareTo(timeout) < 0)
        .orElse(timeout);
  }

  /** Time left between a confirmation's end and the deadline: to stop a kernel and answer. */
  private static final long ANSWER_MARGIN_MS = 300;

  /** What a hand-off may take after the last deadline check (deliver is one local TCP send). */
  private static final long DEADLINE_MARGIN_MS = 300;

  /** Time left between a delivery's end and the deadline for the answer to reach the script. */
  private static final long DELIVERY_SLACK_MS = 50;

  /** Attempts per claim: each skips a kernel another replica claimed first. */
  private static final int MAX_ATTEMPTS = 8;

  /**
   * Resizes, personalizes and delivers. The personalization is sent first and confirmed after the
   * delivery: the kernel runs it before any request EG sends once it has the connection info, so
   * the hand-off does not wait for it. A personalization that fails after the delivery stops the
   * kernel: EG sees it end and restarts it, and the user never works in a kernel that is not theirs.
   */
  private ClaimOutcome handOver(PoolKernel kernel, ClaimRequest request, long start) {
    String step = "resize";
    try {
      ResizeResult resize = backend.resize(kernel);
      if (resize.fallBack()) {
        throw new IllegalStateException("the pod could not be resized (" + resize.outcome() + ")");
      }
      step = "personalize";
      LauncherResponse launch = kernel.launch().orElseThrow();
      Optional<KernelProcess> process = request.holderPid().isPresent() ? backend.process(kernel) : Optional.empty();
      KernelClient client = connections.get(kernel.id()).orElseGet(() -> connections.open(kernel.id(), launch.connectionInfo()));
      long t0 = System.nanoTime();
      Personalizer.Pending personalizing = personalizer.send(client, personalization(kernel, request, process.isPresent()));
      step = "deliver";
      if (pastDeadline(request)) {
        throw new IllegalStateException("the launch script's deadline passed before the hand-off; it launches cold");
      }
      sender.send(request.responseAddress(), launch.withKernelId(request.kernelId()), request.egPublicKey(), deliveryTimeout(request));
      long t1 = System.nanoTime();
      double millis = (t1 - start) / 1e6;
      try {
        // EG has the kernel now: the answer must reach the script before its deadline, or it
        // would launch cold as well
        personalizer.confirm(personalizing, confirmTimeout(request));
      } catch (Personalizer.PersonalizationException e) {
        return failedAfterDelivery(kernel, request, e, millis, resize.outcome(), process);
      } finally {
        connections.close(kernel.id());
      }
      long t2 = System.nanoTime();
      metrics.claim(kernel.profile().namespace(), kernel.profile().kernelspec(), "hit");
      metrics.claimLatency(millis / 1000);
      LOG.info("claimed pool kernel {} for kernel {} in {} ms (personalized and delivered {} ms, confirmed {} ms later)",
          kernel.id(), request.kernelId(), Math.round(millis), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
      return new ClaimOutcome.Hit(kernel.id(), millis, resize.outcome(), process);
    } catch (IOException | RuntimeException e) {
      return failed(kernel, request, step, e);
    }
  }

  /**
   * The personalization failed after EG got the kernel: the kernel is stopped, and the answer is
   * still a hit. The script must not launch cold too (EG would get two kernels for one launch); it
   * stays as the stand-in of a kernel that ends at once, and EG restarts it like any kernel that
   * died (Kubernetes: EG sees the pod go).
   */
  private ClaimOutcome failedAfterDelivery(PoolKernel kernel, ClaimRequest request, Exception e, double millis,
      String resize, Optional<KernelProcess> process) {
    LOG.warn("pool kernel {} was handed to kernel {} but its personalization failed ({}): stopping it, EG restarts it",
        kernel.id(), request.kernelId(), e.getMessage());
    // The answer must not wait for the stop: stopping a hung kernel can take seconds (its comm port
    // not accepting, an API call), and a script whose deadline passes meanwhile launches cold as
    // well. Rare (a kernel that hangs mid-claim), so a thread of its own rather than a pool.
    Thread stopper = new Thread(() -> backend.stop(kernel), "claim-stop-" + kernel.id());
    stopper.setDaemon(true);
    stopper.start();
    metrics.claim(kernel.profile().namespace(), kernel.profile().kernelspec(), "error");
    metrics.fallback("personalize_failed");
    return new ClaimOutcome.Hit(kernel.id(), millis, resize, process);
  }

  private Personalizer.Personalization personalization(PoolKernel kernel, ClaimRequest request, boolean held) {
    Optional<Personalizer.EnvironmentSwap> swap = backend.replacedEnvironment()
        .flatMap(names -> request.environ().map(environ -> new Personalizer.EnvironmentSwap(environ, names)));
    Map<String, String> env = new HashMap<>(request.env());
    env.putAll(backend.claimEnvironment(kernel));
    return new Personalizer.Personalization(
        request.kernelId(), env, swap, held ? request.holderPid() : OptionalLong.empty());
  }

  private ClaimOutcome failed(PoolKernel kernel, ClaimRequest request, String step, Exception e) {
    LOG.warn("claim of pool kernel {} for kernel {} failed at {}: {}", kernel.id(), request.kernelId(), step, e.getMessage());
    connections.close(kernel.id());
    backend.stop(kernel);
    String reason = step + "_failed";
    metrics.claim(kernel.profile().namespace(), kernel.profile().kernelspec(), "error");
    metrics.fallback(reason);
    return new ClaimOutcome.Failed(reason, e.getMessage());
  }

  private ClaimOutcome miss(String namespace, String kernelspec, String reason, String message) {
    metrics.claim(namespace, kernelspec, "miss");
    metrics.fallback(reason);
    LOG.debug("claim miss for {}: {}", kernelspec, reason);
    return new ClaimOutcome.Miss(reason, message);
  }
}
