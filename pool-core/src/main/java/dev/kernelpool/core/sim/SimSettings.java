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
 */
public record SimSettings(Duration coldStart, Duration coldStartSpread, Duration claimTime, long seed, FootprintRule footprint) {
  public static final SimSettings DEFAULTS =
      new SimSettings(Duration.ofSeconds(90), Duration.ofSeconds(30), Duration.ofMillis(60), 1, FootprintRule.DEFAULTS);

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
  }
}
