package dev.kernelpool.core.snapshot;

import java.util.Map;
import java.util.TreeMap;

/**
 * How often each kernelspec was launched across the whole cluster: what a namespace with too few
 * launches of its own to tell its profiles apart can go by.
 */
public record KernelspecPopularity(Map<String, Long> launches) {
  /** Nothing known. */
  public static final KernelspecPopularity NONE = new KernelspecPopularity(Map.of());

  public KernelspecPopularity {
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
