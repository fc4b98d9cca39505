package dev.kernelpool.core.plan;

import java.time.Duration;

/**
 * Pre-warming for bursts history sees coming: a class that opens 300 notebooks at 10:00 every
 * weekday. When the launches a profile saw on earlier days of the same kind, in some stretch of
 * {@code window} within the next {@code lookahead}, average at least {@code minLaunches}, the
 * profile's pool is sized to hold every launch expected before its kernels could be ready: a kernel
 * started now is warm {@code startTime} from now, and at most {@code maxStarting} start at once, so a
 * burst of N is begun {@code ceil(N / maxStarting)} starts ahead, in waves, and no earlier.
 *
 * <p>Kernels the burst needs may take the namespace past the pool's share of the quota (the 10%
 * rule), never past the usage ceiling (the 95% rule). Off by default (the talk's policy): the risk
 * is a forecast burst that does not come (a cancelled class), which holds up to {@code N} idle
 * kernels, and the quota they hold, for the burst's length plus the lead; they are deleted as soon
 * as history says the burst is over.
 *
 * @param enabled whether bursts are pre-warmed at all
 * @param minLaunches launches per day within one {@code window} that make a burst
 * @param window the width of the stretch a burst is counted in
 * @param lookahead how far ahead bursts are looked for: at least the longest lead a burst needs
 * @param startTime how long a pool kernel takes to be warm at the slowest: kernels are started this
 *     long before the launches they are for
 * @param maxStarting pool kernels that may be starting at once in one namespace
 * @param days earlier days of the same kind (weekday or weekend) the burst is looked for on
 */
public record BurstRule(
    boolean enabled, double minLaunches, Duration window, Duration lookahead, Duration startTime, int maxStarting, int days) {
  /** Off: the talk's policy. */
  public static final BurstRule DISABLED =
      new BurstRule(false, 20, Duration.ofMinutes(10), Duration.ofMinutes(60), Duration.ofMinutes(2), 20, 7);

  public BurstRule {
    if (!(minLaunches >= 1) || Double.isInfinite(minLaunches)) {
      throw new IllegalArgumentException("burst.minLaunches must be a number >= 1, got " + minLaunches);
    }
    positive("burst.window", window);
    positive("burst.lookahead", lookahead);
    positive("burst.startTime", startTime);
    if (maxStarting < 1) {
      throw new IllegalArgumentException("burst.maxStarting must be at least 1, got " + maxStarting);
    }
    if (days < 1 || days > 60) {
      throw new IllegalArgumentException("burst.days must be 1..60, got " + days);
    }
    if (window.compareTo(lookahead) > 0) {
      throw new IllegalArgumentException("burst.window (" + window + ") must not exceed burst.lookahead (" + lookahead + ")");
    }
  }

  private static void positive(String key, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + " must be a positive duration, got " + d);
    }
  }

  /** This rule, on. */
  public BurstRule on() {
    return new BurstRule(true, minLaunches, window, lookahead, startTime, maxStarting, days);
  }

  /** This rule with {@code n} kernels starting at once at most. */
  public BurstRule withMaxStarting(int n) {
    return new BurstRule(enabled, minLaunches, window, lookahead, startTime, n, days);
  }

  /** This rule with kernels taking {@code d} to be warm at the slowest. */
  public BurstRule withStartTime(Duration d) {
    return new BurstRule(enabled, minLaunches, window, lookahead, d, maxStarting, days);
  }
}
