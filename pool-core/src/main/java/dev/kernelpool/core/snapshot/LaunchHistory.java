package dev.kernelpool.core.snapshot;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * The launches of a namespace, per profile.
 *
 * @param series launch series per profile; copied
 */
public record LaunchHistory(Map<PoolProfile, LaunchSeries> series) {
  private static final LaunchHistory EMPTY = new LaunchHistory(Map.of());

  public LaunchHistory {
    series = Map.copyOf(series);
  }

  public static LaunchHistory empty() {
    return EMPTY;
  }

  /** The series of {@code profile}, empty when it never launched. */
  public LaunchSeries of(PoolProfile profile) {
    return series.getOrDefault(profile, LaunchSeries.empty());
  }

  public Set<PoolProfile> profiles() {
    return series.keySet();
  }

  /** Whether at least {@code min} launches of all profiles fall in {@code [from, to)}. */
  public boolean hasAtLeast(int min, Instant from, Instant to) {
    long fromMillis = from.toEpochMilli();
    long toMillis = to.toEpochMilli();
    int total = 0;
    for (LaunchSeries s : series.values()) {
      total += s.countMillis(fromMillis, toMillis);
      if (total >= min) {
        return true;
      }
    }
    return total >= min;
  }

  /** Launches of every profile in {@code [from, to)}. */
  public int count(Instant from, Instant to) {
    int total = 0;
    for (LaunchSeries s : series.values()) {
      total += s.count(from, to);
    }
    return total;
  }
}
