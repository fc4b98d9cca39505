package dev.kernelpool.core.forecast;

import dev.kernelpool.core.snapshot.LaunchSeries;
import java.time.Duration;
import java.time.Instant;

/**
 * Time-of-day and day-of-week seasonality with the recent trend. The seasonal estimate is the mean
 * launch rate around the same time of day ({@code ± smoothing}) on the previous {@code days} days of
 * the same kind (weekday or weekend, UTC), projected over the horizon; the trend is the rate of the
 * last {@code recent} projected over the horizon. The forecast is the larger of the two, so a burst that history did not foresee still
 * refills the pool, and a burst that history foresees is warmed before it starts.
 */
public final class SeasonalForecaster implements DemandForecaster {
  public static final String NAME = "seasonal";
  private static final long DAY = Duration.ofDays(1).toMillis();

  private final int days;
  private final long recentMillis;
  private final long smoothingMillis;

  public SeasonalForecaster(int days, Duration recent, Duration smoothing) {
    if (days < 1 || days > 60) {
      throw new IllegalArgumentException("seasonal forecaster: days must be 1..60, got " + days);
    }
    if (recent.isNegative() || recent.isZero()) {
      throw new IllegalArgumentException("seasonal forecaster: recent window must be positive");
    }
    if (smoothing.isNegative()) {
      throw new IllegalArgumentException("seasonal forecaster: smoothing must not be negative");
    }
    this.days = days;
    this.recentMillis = recent.toMillis();
    this.smoothingMillis = smoothing.toMillis();
  }

  /** A week of history, a 30-minute trend window, seasonal rates over ±1 hour. */
  public static SeasonalForecaster defaults() {
    return new SeasonalForecaster(7, Duration.ofMinutes(30), Duration.ofHours(1));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double expectedLaunches(LaunchSeries series, Instant now, Duration horizon) {
    if (series.size() == 0) {
      return 0;
    }
    long t = now.toEpochMilli();
    long h = horizon.toMillis();
    boolean weekend = isWeekend(t);
    long sum = 0;
    int seen = 0;
    long width = h + 2 * smoothingMillis;
    // Oldest day first, so each window's search gallops on from the previous one.
    int cursor = 0;
    for (int k = days; k >= 1; k--) {
      long start = t - k * DAY - smoothingMillis;
      if (isWeekend(t - k * DAY) != weekend || start + width <= series.epochMilliAt(0)) {
        continue; // another kind of day, or a day before this profile's first launch
      }
      seen++;
      int first = series.indexAtOrAfter(start, cursor);
      int last = series.indexAtOrAfter(start + width, first);
      sum += last - first;
      cursor = first;
    }
    double seasonal = seen == 0 ? 0 : (double) sum / seen * h / width;
    double trend = (double) series.countMillis(t - recentMillis, t) * h / recentMillis;
    return Math.max(seasonal, trend);
  }

  private static boolean isWeekend(long epochMillis) {
    long dayIndex = Math.floorDiv(epochMillis, DAY);
    long dow = Math.floorMod(dayIndex + 3, 7); // 1970-01-01 was a Thursday: 0 = Monday
    return dow >= 5;
  }
}
