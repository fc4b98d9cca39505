package dev.kernelpool.core.snapshot;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the whole cluster launches: how often each kernelspec, and when in the day. What a namespace
 * with too few launches of its own can go by: to tell its profiles apart, and to tell its busy
 * hours from its quiet ones.
 *
 * @param shape the cluster's launches by time of day ({@link LaunchShape#NONE} when not known)
 */
public record KernelspecPopularity(Map<String, Long> launches, LaunchShape shape) {
  /** Nothing known. */
  public static final KernelspecPopularity NONE = new KernelspecPopularity(Map.of());

  /** Launches per kernelspec, with no time-of-day shape. */
  public KernelspecPopularity(Map<String, Long> launches) {
    this(launches, LaunchShape.NONE);
  }

  public KernelspecPopularity {
    Objects.requireNonNull(shape, "shape");
    launches = Map.copyOf(launches);
    for (Map.Entry<String, Long> e : launches.entrySet()) {
      if (e.getValue() < 0) {
        throw new IllegalArgumentException("launches of " + e.getKey() + " must not be negative");
      }
    }
  }

  /** Launches of {@code kernelspec} across the cluster, 0 when unknown. */
  public long of(String kernelspec) {
    return launches.getOrDefault(kernelspec, 0L);
  }

  /**
   * Counts the launches since {@code fromMillis} of every profile in {@code series}, by kernelspec,
   * and by time of day over the complete days before {@code nowMillis}'s.
   */
  public static KernelspecPopularity count(Map<PoolProfile, LaunchSeries> series, long fromMillis, long nowMillis) {
    return new KernelspecPopularity(count(series, fromMillis).launches(), LaunchShape.count(series, fromMillis, nowMillis));
  }

  /** Counts the launches since {@code fromMillis} of every profile in {@code series}, by kernelspec. */
  public static KernelspecPopularity count(Map<PoolProfile, LaunchSeries> series, long fromMillis) {
    Map<String, Long> out = new TreeMap<>();
    series.forEach((p, s) -> {
      int n = s.countMillis(fromMillis, Long.MAX_VALUE);
      if (n > 0) {
        out.merge(p.kernelspec(), (long) n, Long::sum);
      }
    });
    return new KernelspecPopularity(out);
  }
}
