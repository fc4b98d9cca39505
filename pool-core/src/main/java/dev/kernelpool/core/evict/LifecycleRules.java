package dev.kernelpool.core.evict;

import java.time.Duration;

/**
 * How long pool members may live.
 *
 * @param memberTtl a member older than this is replaced by a fresh one (the talk's teardown of
 *     kernels that sat in the pool for a long time)
 * @param startTimeout a member still starting after this is deleted as stuck
 */
public record LifecycleRules(Duration memberTtl, Duration startTimeout) {
  public static final LifecycleRules DEFAULTS =
      new LifecycleRules(Duration.ofHours(4), Duration.ofMinutes(10));

  public LifecycleRules {
    requirePositive("lifecycle.memberTtl", memberTtl);
    requirePositive("lifecycle.startTimeout", startTimeout);
  }

  private static void requirePositive(String key, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + " must be a positive duration, got " + d);
    }
  }
}
