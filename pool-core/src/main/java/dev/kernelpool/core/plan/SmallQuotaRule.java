package dev.kernelpool.core.plan;

/**
 * Pools for namespaces with small quotas: where the pool's share of the quota (the 10% rule) is
 * less than one warm kernel, the namespace's top-ranked profile may still get one warm kernel
 * when its forecast is at least {@code minLaunchesPerHour} and the usage ceiling (the 95% rule)
 * holds with it.
 */
public record SmallQuotaRule(boolean enabled, double minLaunchesPerHour) {
  public static final SmallQuotaRule DEFAULTS = new SmallQuotaRule(true, 1.0);

  public SmallQuotaRule {
    if (!(minLaunchesPerHour >= 0) || Double.isInfinite(minLaunchesPerHour)) {
      throw new IllegalArgumentException(
          "smallQuota.minLaunchesPerHour must be a non-negative number, got " + minLaunchesPerHour);
    }
  }
}
