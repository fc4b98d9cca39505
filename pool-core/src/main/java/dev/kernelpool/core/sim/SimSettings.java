package dev.kernelpool.core.sim;

import java.time.Duration;

/**
 * The modelled world.
 *
 * @param coldStart mean time a kernel pod takes from creation to ready (scheduling, image pull,
 *     kernel start); pool kernels take the same
 * @param coldStartSpread starts are uniform in {@code coldStart ± spread}
 * @param claimTime how long a hit takes (claim, personalize, hand-off)
 * @param seed for the start-time draws
 */
public record SimSettings(Duration coldStart, Duration coldStartSpread, Duration claimTime, long seed) {
  public static final SimSettings DEFAULTS =
      new SimSettings(Duration.ofSeconds(90), Duration.ofSeconds(30), Duration.ofMillis(60), 1);

  public SimSettings {
    if (coldStart.isNegative() || coldStart.isZero() || coldStartSpread.isNegative()
        || coldStartSpread.compareTo(coldStart) >= 0 || claimTime.isNegative()) {
      throw new IllegalArgumentException("simulation: need 0 <= spread < coldStart and claimTime >= 0");
    }
  }
}
