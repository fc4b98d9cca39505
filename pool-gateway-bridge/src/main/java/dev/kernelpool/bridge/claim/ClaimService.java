package dev.kernelpool.bridge.claim;

import dev.kernelpool.bridge.backend.BackendException;
import dev.kernelpool.bridge.backend.KernelBackend;
import dev.kernelpool.bridge.kernel.KernelClient;
import dev.kernelpool.bridge.launcher.LauncherResponse;
import dev.kernelpool.bridge.launcher.ResponseSender;
import dev.kernelpool.bridge.metrics.PoolMetrics;
import dev.kernelpool.bridge.pool.KernelConnections;
import dev.kernelpool.core.snapshot.LaunchRecorder;
import dev.kernelpool.bridge.pool.PoolKernel;
import dev.kernelpool.bridge.pool.WarmKernelRegistry;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves claims: records the launch, takes a warm kernel of exactly the request's profile,
 * personalizes it, binds it in the backend and sends its connection info, with EG's kernel id, to
 * EG's response address under EG's public key. A kernel that was taken but could not be handed
 * over is discarded, never returned to the pool. Every claim triggers a refill.
 */
public final class ClaimService {
  private static final Logger LOG = LoggerFactory.getLogger(ClaimService.class);

  private final ProfileResolver profiles;
  private final WarmKernelRegistry registry;
  private final KernelConnections connections;
  private final KernelBackend backend;
  private final LaunchRecorder launches;
  private final Personalizer personalizer;
  private final ResponseSender sender;
  private final PoolMetrics metrics;
  private final Runnable refill;
  private final Clock clock;
  private final Duration timeout;

  public ClaimService(
      ProfileResolver profiles,
      WarmKernelRegistry registry,
      KernelConnections connections,
      KernelBackend backend,
      LaunchRecorder launches,
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
    long start = System.nanoTime();
    PoolProfile profile;
    try {
      profile = profiles.resolve(request.kernelspec(), request.env());
    } catch (ProfileResolver.UnresolvableException e) {
      return miss(request.env().getOrDefault("KERNEL_NAMESPACE", ""), request.kernelspec(), e.reason(), e.getMessage());
    }
    launches.record(profile, clock.instant());
    try {
      Optional<PoolKernel> taken = registry.take(profile);
      if (taken.isEmpty()) {
        return miss(profile.namespace(), profile.kernelspec(), "no_warm_kernel", "no warm kernel of this profile");
      }
      return handOver(taken.get(), request, start);
    } finally {
      refill.run();
    }
  }

  private ClaimOutcome handOver(PoolKernel kernel, ClaimRequest request, long start) {
    String step = "personalize";
    try {
      KernelClient client =
          connections.get(kernel.id()).orElseThrow(() -> new IllegalStateException("no connection to " + kernel.id()));
      long t0 = System.nanoTime();
      personalizer.apply(client, request.kernelId(), request.env(), timeout);
      long t1 = System.nanoTime();
      step = "bind";
      backend.bind(kernel, request.kernelId());
      step = "deliver";
      LauncherResponse response = kernel.launch().orElseThrow().withKernelId(request.kernelId());
      long t2 = System.nanoTime();
      sender.send(request.responseAddress(), response, request.egPublicKey(), timeout);
      long t3 = System.nanoTime();
      connections.close(kernel.id());
      double millis = (System.nanoTime() - start) / 1e6;
      metrics.claim(kernel.profile().namespace(), kernel.profile().kernelspec(), "hit");
      metrics.claimLatency(millis / 1000);
      LOG.info("claimed pool kernel {} for kernel {} in {} ms (personalize {} ms, deliver {} ms)",
          kernel.id(), request.kernelId(), Math.round(millis), (t1 - t0) / 1_000_000, (t3 - t2) / 1_000_000);
      return new ClaimOutcome.Hit(kernel.id(), millis);
    } catch (Personalizer.PersonalizationException | BackendException | IOException | RuntimeException e) {
      LOG.warn("claim of pool kernel {} for kernel {} failed at {}: {}", kernel.id(), request.kernelId(), step, e.getMessage());
      connections.close(kernel.id());
      backend.stop(kernel);
      String reason = step + "_failed";
      metrics.claim(kernel.profile().namespace(), kernel.profile().kernelspec(), "error");
      metrics.fallback(reason);
      return new ClaimOutcome.Failed(reason, e.getMessage());
    }
  }

  private ClaimOutcome miss(String namespace, String kernelspec, String reason, String message) {
    metrics.claim(namespace, kernelspec, "miss");
    metrics.fallback(reason);
    LOG.debug("claim miss for {}: {}", kernelspec, reason);
    return new ClaimOutcome.Miss(reason, message);
  }
}
