package dev.kernelpool.core.quota;

import dev.kernelpool.core.resource.Resources;
import java.util.Objects;
import java.util.Optional;

/**
 * How much quota a pool may use.
 *
 * @param maxPoolFraction the pool's live members may hold at most this share of each hard limit
 *     (the talk's 10%)
 * @param maxUsageFraction the pool plus everything else charged to the quota stays at or below
 *     this share of each hard limit (the talk's 95%)
 * @param noQuotaBudget the pool budget of a namespace without a quota; empty means such
 *     namespaces get no pool
 */
public record SizingRules(
    double maxPoolFraction, double maxUsageFraction, Optional<Resources> noQuotaBudget) {

  public static final SizingRules DEFAULTS = new SizingRules(0.10, 0.95, Optional.empty());

  public SizingRules {
    checkFraction("maxPoolFraction", maxPoolFraction);
    checkFraction("maxUsageFraction", maxUsageFraction);
    if (maxPoolFraction > maxUsageFraction) {
      throw new IllegalArgumentException(
          "sizing.maxPoolFraction (" + maxPoolFraction + ") must not exceed sizing.maxUsageFraction ("
              + maxUsageFraction + ")");
    }
    Objects.requireNonNull(noQuotaBudget, "noQuotaBudget");
    noQuotaBudget.ifPresent(
        b -> {
          if (!b.isNonNegative()) {
            throw new IllegalArgumentException("sizing.noQuotaBudget must not be negative: " + b);
          }
        });
  }

  private static void checkFraction(String key, double value) {
    if (!(value > 0 && value <= 1)) {
      throw new IllegalArgumentException("sizing." + key + " must be in (0, 1], got " + value);
    }
  }

  /** The fraction in parts per million, so budgets are computed in exact integer arithmetic. */
  static long ppm(double fraction) {
    return Math.round(fraction * 1_000_000);
  }
}
