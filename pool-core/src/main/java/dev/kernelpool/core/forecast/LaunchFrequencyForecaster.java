package dev.kernelpool.core.forecast;

import dev.kernelpool.core.snapshot.LaunchSeries;
import java.time.Duration;
import java.time.Instant;

/**
 * The talk's baseline: the launch rate over a trailing window, projected over the horizon. A
 * profile launched often recently is expected to be launched often again.
 */
public final class LaunchFrequencyForecaster implements DemandForecaster {
  public static final String NAME = "frequency";

  private final long lookbackMillis;

  public LaunchFrequencyForecaster(Duration lookback) {
    if (lookback.isNegative() || lookback.isZero()) {
      throw new IllegalArgumentException("forecast lookback must be positive, got " + lookback);
    }
    this.lookbackMillis = lookback.toMillis();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double expectedLaunches(LaunchSeries series, Instant now, Duration horizon) {
    long nowMillis = now.toEpochMilli();
    int recent = series.countMillis(nowMillis - lookbackMillis, nowMillis);
    return (double) recent * horizon.toMillis() / lookbackMillis;
  }
}
