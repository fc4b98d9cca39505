package dev.kernelpool.core.plan;

import java.time.Duration;

/**
 * How a profile's forecast launch rate becomes a number of warm kernels.
 *
 * <ul>
 *   <li>{@link CoverHorizon}: the design talk's rule, as many kernels as launches are expected
 *       within the horizon. Right for a pool refilled on a timer.
 *   <li>{@link MarginalValue}: for a pool refilled as soon as a kernel is claimed. With launches
 *       at rate λ and a refill taking {@code refill}, a pool of k kernels is a loss system: a
 *       launch misses when all k are being refilled, with probability Erlang B(k, λ·refill). The
 *       k-th kernel is kept while the warm launches it adds per hour, λ·(B(k-1) − B(k)), are at
 *       least {@code minHitsPerIdleHour}: the price, in hits, of one idle kernel-hour.
 * </ul>
 */
public sealed interface PoolSizing {
  /** Warm kernels for a profile forecast at {@code launchesPerHour}, expecting {@code expectedLaunches} within the horizon. */
  int kernels(double launchesPerHour, double expectedLaunches);

  /** A stable name for configuration and reports. */
  String name();

  /** The talk's rule: {@code ceil(expected launches within the horizon)}. */
  record CoverHorizon() implements PoolSizing {
    @Override
    public int kernels(double launchesPerHour, double expectedLaunches) {
      return expectedLaunches > 0 ? (int) Math.min(Integer.MAX_VALUE, (long) Math.ceil(expectedLaunches)) : 0;
    }

    @Override
    public String name() {
      return "horizon";
    }
  }

  /**
   * Marginal-value sizing.
   *
   * @param refill how long a refill takes, creation to ready: the pool's modelled start time
   * @param minHitsPerIdleHour warm launches per hour a kernel must add to be kept
   */
  record MarginalValue(Duration refill, double minHitsPerIdleHour) implements PoolSizing {
    /** No pool grows past this many kernels of one profile from demand alone. */
    static final int LIMIT = 100_000;

    public MarginalValue {
      if (refill == null || refill.isNegative() || refill.isZero()) {
        throw new IllegalArgumentException("demand.refill must be a positive duration, got " + refill);
      }
      if (!(minHitsPerIdleHour > 0) || Double.isInfinite(minHitsPerIdleHour)) {
        throw new IllegalArgumentException(
            "demand.minHitsPerIdleHour must be a positive number, got " + minHitsPerIdleHour);
      }
    }

    @Override
    public int kernels(double launchesPerHour, double expectedLaunches) {
      if (!(launchesPerHour > 0)) {
        return 0;
      }
      double load = launchesPerHour * refill.toMillis() / 3_600_000.0;
      // The first kernel is the profile's: minLaunchesPerHour decided it. Further ones must pay.
      double blocking = load / (1 + load); // Erlang B(1, load)
      int k = 1;
      while (k < LIMIT) {
        double next = load * blocking / (k + 1 + load * blocking);
        if (launchesPerHour * (blocking - next) < minHitsPerIdleHour) {
          break;
        }
        blocking = next;
        k++;
      }
      return k;
    }

    @Override
    public String name() {
      return "marginal";
    }
  }
}
