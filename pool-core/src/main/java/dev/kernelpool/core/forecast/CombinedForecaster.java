package dev.kernelpool.core.forecast;

import dev.kernelpool.core.snapshot.KernelspecPopularity;
import dev.kernelpool.core.snapshot.LaunchSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The largest forecast of several: seasonality sees the day's shape coming, the trailing frequency
 * keeps profiles that are used but irregular, the trend catches bursts.
 */
public final class CombinedForecaster implements DemandForecaster {
  public static final String NAME = "combined";

  private final List<DemandForecaster> parts;

  public CombinedForecaster(List<DemandForecaster> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("combined forecaster needs at least one part");
    }
    this.parts = List.copyOf(parts);
  }

  /** Seasonal (7 days, ±1 h, 30-minute trend) and launch frequency over 7 days. */
  public static CombinedForecaster defaults() {
    return new CombinedForecaster(
        List.of(SeasonalForecaster.defaults(), new LaunchFrequencyForecaster(Duration.ofDays(7))));
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
    double max = 0;
    for (DemandForecaster f : parts) {
      max = Math.max(max, f.expectedLaunches(series, now, horizon, cluster));
    }
    return max;
  }
}
