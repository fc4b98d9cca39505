package dev.kernelpool.core.plan;

import java.time.Duration;

/**
 * When a quiet profile's kernel is refilled. A profile forecast below {@code belowLaunchesPerHour}
 * gets its missing kernels {@code delay} after its last launch rather than at once: a second launch
 * within minutes is rare there, and an idle kernel-minute per claim adds up over a long tail of
 * namespaces. Busier profiles are refilled at once.
 */
public record QuietRefill(Duration delay, double belowLaunchesPerHour) {
  /** Every profile refilled at once. */
  public static final QuietRefill NONE = new QuietRefill(Duration.ZERO, 0);

  public QuietRefill {
    if (delay == null || delay.isNegative()) {
      throw new IllegalArgumentException("demand.quietRefillDelay must not be negative, got " + delay);
    }
    if (!(belowLaunchesPerHour >= 0) || Double.isInfinite(belowLaunchesPerHour)) {
      throw new IllegalArgumentException(
          "demand.quietLaunchesPerHour must be a non-negative number, got " + belowLaunchesPerHour);
    }
  }

  /** Whether a profile forecast at {@code launchesPerHour}, last launched at {@code lastLaunchMillis}, still waits at {@code nowMillis}. */
  public boolean waits(double launchesPerHour, long lastLaunchMillis, long nowMillis) {
    return launchesPerHour < belowLaunchesPerHour && lastLaunchMillis > nowMillis - delay.toMillis();
  }
}
