package dev.kernelpool.core.forecast;

import dev.kernelpool.core.snapshot.KernelspecPopularity;
import dev.kernelpool.core.snapshot.LaunchSeries;
import java.time.Duration;
import java.time.Instant;

/**
 * Predicts how many launches of one profile will come. Implementations are pure: the same
 * series, instant and horizon give the same answer.
 */
public interface DemandForecaster {
  /** A stable name, used in configuration and reports. */
  String name();

  /** Expected launches in {@code [now, now + horizon)}, never negative. */
  double expectedLaunches(LaunchSeries series, Instant now, Duration horizon);

  /**
   * The same, knowing what the whole cluster launches ({@code cluster}: by kernelspec and by time
   * of day); forecasters that read it override this, the rest ignore it.
   */
  default double expectedLaunches(LaunchSeries series, Instant now, Duration horizon, KernelspecPopularity cluster) {
    return expectedLaunches(series, now, horizon);
  }
}
