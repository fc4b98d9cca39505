package dev.kernelpool.core.forecast;

import dev.kernelpool.core.snapshot.LaunchSeries;
import dev.kernelpool.core.snapshot.LaunchShape;
import java.time.Duration;
import java.time.Instant;

/**
 * Time-of-day and day-of-week seasonality with the recent trend.
 *
 * <p>The seasonal estimate looks at the same time of day ({@code ± smoothing} around the horizon)
 * on the previous {@code days} days of the same kind (weekday or weekend, UTC). Those windows are
 * narrow, so a sharp burst (a class at 10:00) is warmed just before it and not an hour early; to
 * keep a rarely used profile's estimate from jumping between 0 and a spike, the count is shrunk
 * toward the profile's average rate over the whole lookback (a gamma prior worth
 * {@code priorLaunches} launches): rate = (launches in the windows + priorLaunches) / (window time
 * + priorLaunches / average rate). A profile with much history at this hour follows its history; one
 * with little follows its average.
 *
 * <p>The trend is the rate over the last {@code recent}, counted from the second launch in it (one
 * launch is not a trend). The forecast is the larger of the two, projected over the horizon, so a
 * burst that history did not foresee still refills the pool.
 */
public final class SeasonalForecaster implements DemandForecaster {
  public static final String NAME = "seasonal";
  private static final long DAY = Duration.ofDays(1).toMillis();

  private final int days;
  private final long recentMillis;
  private final long smoothingMillis;
  private final double priorLaunches;

  /** Without a prior: the plain mean over the same-time windows. */
  public SeasonalForecaster(int days, Duration recent, Duration smoothing) {
    this(days, recent, smoothing, 0);
  }

  public SeasonalForecaster(int days, Duration recent, Duration smoothing, double priorLaunches) {
    if (days < 1 || days > 60) {
      throw new IllegalArgumentException("seasonal forecaster: days must be 1..60, got " + days);
    }
    if (recent.isNegative() || recent.isZero()) {
      throw new IllegalArgumentException("seasonal forecaster: recent window must be positive");
    }
    if (smoothing.isNegative()) {
      throw new IllegalArgumentException("seasonal forecaster: smoothing must not be negative");
    }
    if (!(priorLaunches >= 0) || Double.isInfinite(priorLaunches)) {
      throw new IllegalArgumentException("seasonal forecaster: priorLaunches must be a non-negative number");
    }
    this.days = days;
    this.recentMillis = recent.toMillis();
    this.smoothingMillis = smoothing.toMillis();
    this.priorLaunches = priorLaunches;
  }

  /** A week of history, a 10-minute trend window, windows of ± 2 minutes, a prior worth a quarter launch. */
  public static SeasonalForecaster defaults() {
    return new SeasonalForecaster(7, Duration.ofMinutes(10), Duration.ofMinutes(2), 0.25);
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
    long width = h + 2 * smoothingMillis;
    long[] sumAndSeen = sameTimeCounts(series, t, width);
    double windowMillis = (double) sumAndSeen[1] * width;
    double perMilli;
    if (priorLaunches > 0) {
      double average = sameKindAverage(series, t);
      perMilli = average == 0
          ? (windowMillis == 0 ? 0 : sumAndSeen[0] / windowMillis)
          : (sumAndSeen[0] + priorLaunches) / (windowMillis + priorLaunches / average);
    } else {
      perMilli = windowMillis == 0 ? 0 : sumAndSeen[0] / windowMillis;
    }
    int recent = series.countMillis(t - recentMillis, t);
    double trend = recent >= 2 ? (double) (recent - 1) / recentMillis : 0;
    if (trend > perMilli) {
      // A burst history foresaw (a class that starts at 10:00 every day) ends when history says
      // it ends; only a surprise carries on.
      long[] before = sameTimeCounts(series, t - recentMillis - smoothingMillis, recentMillis + 2 * smoothingMillis);
      double foreseen = before[1] == 0 ? 0 : (double) before[0] / before[1];
      if (recent <= 2 * foreseen + 1) {
        trend = 0;
      }
    }
    return Math.max(perMilli, trend) * h;
  }

  /**
   * The profile's launch rate per millisecond over whole earlier days of t's kind within the
   * lookback (weekends are quieter than weekdays), or over the whole lookback when there was no
   * such day yet or those days had no launch of it (so a first weekend is not taken for a dead one).
   */
  private double sameKindAverage(LaunchSeries series, long t) {
    boolean weekend = LaunchShape.isWeekend(t);
    long today = Math.floorDiv(t, DAY) * DAY;
    long launches = 0;
    int sameKind = 0;
    // Day boundaries oldest first, each search galloping on from the previous one.
    int at = series.indexAtOrAfter(today - days * DAY, 0);
    for (int k = days; k >= 1; k--) {
      long dayStart = today - k * DAY;
      int next = series.indexAtOrAfter(dayStart + DAY, at);
      if (LaunchShape.isWeekend(dayStart) == weekend) {
        launches += next - at;
        sameKind++;
      }
      at = next;
    }
    if (sameKind == 0 || launches == 0) {
      long lookback = days * DAY;
      return (double) series.countMillis(t - lookback, t) / lookback;
    }
    return (double) launches / (sameKind * DAY);
  }

  /** Launches in the {@code width} window around t on each earlier day of t's kind, and how many such days. */
  private long[] sameTimeCounts(LaunchSeries series, long t, long width) {
    long smoothing = smoothingMillis;
    boolean weekend = LaunchShape.isWeekend(t);
    long sum = 0;
    int seen = 0;
    // Oldest day first, so each window's search gallops on from the previous one.
    int cursor = 0;
    for (int k = days; k >= 1; k--) {
      long start = t - k * DAY - smoothing;
      if (LaunchShape.isWeekend(t - k * DAY) != weekend || start + width <= series.epochMilliAt(0)) {
        continue; // another kind of day, or a day before this profile's first launch
      }
      seen++;
      int first = series.indexAtOrAfter(start, cursor);
      int last = series.indexAtOrAfter(start + width, first);
      sum += last - first;
      cursor = first;
    }
    return new long[] {sum, seen};
  }
}
