package dev.kernelpool.core.forecast;

import dev.kernelpool.core.snapshot.KernelspecPopularity;
import dev.kernelpool.core.snapshot.LaunchSeries;
import dev.kernelpool.core.snapshot.LaunchShape;
import java.time.Duration;
import java.time.Instant;

/**
 * A profile's launches per day, shaped by when in the day the whole cluster launches: expected
 * launches in {@code [now, now + horizon)} = (the profile's launches on earlier days of today's kind
 * and today so far) / (those days, today counted as the share of a day's launches already past) ×
 * (the cluster's share of a day's launches in that stretch of the day). One profile's few launches
 * cannot tell its busy hours from its quiet ones; the cluster's thousands can, and the profile's
 * whole history tells how busy it is. So a quiet profile keeps no kernel at night, a busy one its
 * kernels through the day.
 *
 * <p>Until the cluster has a complete day of today's kind: the profile's share of the cluster's
 * launches today times the cluster's launch rate over the last half hour; before the cluster has
 * launched 50 kernels today, the profile's launches over its own time, capped at {@code days}.
 */
public final class ShapedForecaster implements DemandForecaster {
  public static final String NAME = "shaped";
  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final long HOUR = Duration.ofHours(1).toMillis();
  private static final long RECENT = Duration.ofMinutes(30).toMillis();
  /** Cluster launches today from which the profile's share of them is read. */
  private static final long MIN_CLUSTER_LAUNCHES = 50;

  private final int days;

  public ShapedForecaster(int days) {
    if (days < 1 || days > 60) {
      throw new IllegalArgumentException("shaped forecaster: days must be 1..60, got " + days);
    }
    this.days = days;
  }

  /** A week of history. */
  public static ShapedForecaster defaults() {
    return new ShapedForecaster(7);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double expectedLaunches(LaunchSeries series, Instant now, Duration horizon) {
    return expectedLaunches(series, now, horizon, KernelspecPopularity.NONE);
  }

  @Override
  public double expectedLaunches(LaunchSeries series, Instant now, Duration horizon, KernelspecPopularity cluster) {
    if (series.size() == 0) {
      return 0;
    }
    long t = now.toEpochMilli();
    long h = horizon.toMillis();
    long first = series.epochMilliAt(0);
    long today = Math.floorDiv(t, DAY) * DAY;
    LaunchShape shape = cluster.shape();
    if (shape.knows(t)) {
      boolean weekend = LaunchShape.isWeekend(t);
      double seenDays = 0;
      int launches = 0;
      int cursor = 0;
      for (int k = days; k >= 1; k--) {
        long dayStart = today - k * DAY;
        if (LaunchShape.isWeekend(dayStart) != weekend || dayStart + DAY <= first) {
          continue;
        }
        long from = Math.max(dayStart, first);
        int a = series.indexAtOrAfter(from, cursor);
        int b = series.indexAtOrAfter(dayStart + DAY, a);
        launches += b - a;
        cursor = b;
        seenDays += from == dayStart ? 1 : shape.share(from, dayStart + DAY);
      }
      long from = Math.max(today, first);
      launches += series.countMillis(from, t);
      seenDays += shape.share(from, t);
      if (seenDays > 0.05) {
        return launches / seenDays * shape.share(t, t + h);
      }
    }
    // No complete day of this kind yet: the profile's share of the cluster's launches today, times
    // the cluster's rate over the last half hour (thousands of launches follow the day's shape
    // closely); before the cluster has launched enough today, the profile's own average.
    long clusterToday = shape.launchesToday(t);
    if (clusterToday >= MIN_CLUSTER_LAUNCHES) {
      int mine = series.countMillis(today, t + 1);
      return (double) mine / clusterToday * shape.recentRate(t, RECENT) * h;
    }
    long since = Math.max(first, t - days * DAY);
    int launches = series.countMillis(since, t + 1);
    return launches * (double) h / Math.max(HOUR, t - since);
  }
}
