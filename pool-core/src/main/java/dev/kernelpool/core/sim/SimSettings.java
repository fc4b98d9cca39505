package dev.kernelpool.core.sim;

import dev.kernelpool.core.quota.FootprintRule;
import java.time.Duration;
import java.util.Objects;

/**
 * The modelled world.
 *
 * @param coldStart mean time a kernel pod takes from creation to ready (scheduling, image pull,
 *     kernel start); pool kernels take the same
 * @param coldStartSpread starts are uniform in {@code coldStart ± spread}
 * @param claimTime how long a hit takes (claim, personalize, hand-off)
 * @param seed for the start-time draws
 * @param footprint what a warm pool kernel requests before its claim (the planner policies' and
 *     the oracle's; a claim resizes it to the launch's request)
 * @param maxStarting pool kernels that may be starting at once in one namespace, as the Kubernetes
 *     backend's {@code kubernetes.maxStarting}: a policy's creations past it wait for a start to
 *     finish (the namespace is planned again then), so a big fill comes in waves; the oracle's are
 *     not limited
 * @param warmup the first stretch of the trace only builds history: its launches are not scored and
 *     idle time is counted from its end (a sidecar that has run before starts with its history)
 */
public record SimSettings(
    Duration coldStart, Duration coldStartSpread, Duration claimTime, long seed, FootprintRule footprint, int maxStarting, Duration warmup) {
  /** The Kubernetes backend's default of 20 starting at once per namespace; no warmup. */
  public static final SimSettings DEFAULTS =
      new SimSettings(Duration.ofSeconds(90), Duration.ofSeconds(30), Duration.ofMillis(60), 1, FootprintRule.DEFAULTS, 20, Duration.ZERO);

  /** The slowest start the model draws: {@code coldStart + coldStartSpread}. */
  public Duration slowestStart() {
    return coldStart.plus(coldStartSpread);
  }

  public SimSettings withMaxStarting(int n) {
    return new SimSettings(coldStart, coldStartSpread, claimTime, seed, footprint, n, warmup);
  }

  public SimSettings withWarmup(Duration d) {
    return new SimSettings(coldStart, coldStartSpread, claimTime, seed, footprint, maxStarting, d);
  }

  /** The fastest start the model draws: {@code coldStart - coldStartSpread}. */
  public Duration fastestStart() {
    return coldStart.minus(coldStartSpread);
  }

  public SimSettings {
    Objects.requireNonNull(footprint, "footprint");
    if (coldStart.isNegative() || coldStart.isZero() || coldStartSpread.isNegative()
        || coldStartSpread.compareTo(coldStart) >= 0 || claimTime.isNegative()) {
      throw new IllegalArgumentException("simulation: need 0 <= spread < coldStart and claimTime >= 0");
    }
    if (maxStarting < 1) {
      throw new IllegalArgumentException("simulation: maxStarting must be at least 1, got " + maxStarting);
    }
    if (warmup == null || warmup.isNegative()) {
      throw new IllegalArgumentException("simulation: warmup must not be negative, got " + warmup);
    }
  }
}
