package dev.kernelpool.core.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.KernelspecPopularity;
import dev.kernelpool.core.snapshot.LaunchSeries;
import dev.kernelpool.core.snapshot.LaunchShape;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ShapedForecasterTest {
  private static final long MONDAY = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;
  private static final Duration HORIZON = Duration.ofHours(1);

  /** A busy profile: 100 launches every weekday, all 09:00-10:00. */
  private static final LaunchSeries BUSY = LaunchSeries.ofEpochMillis(LongStream.range(-7, 0)
      .filter(d -> !LaunchShape.isWeekend(MONDAY + d * DAY))
      .flatMap(d -> LongStream.range(0, 100).map(i -> MONDAY + d * DAY + 9 * HOUR + i * 36_000))
      .toArray());
  /** A rare profile: one launch on each of two weekdays, at 15:00 (its own hours say nothing). */
  private static final LaunchSeries RARE = LaunchSeries.ofEpochMillis(MONDAY - 3 * DAY + 15 * HOUR, MONDAY - 4 * DAY + 15 * HOUR);

  private static KernelspecPopularity cluster(long now) {
    PoolProfile a = PoolProfile.of("a", "python3", "img", Resources.parse("cpu=1"));
    PoolProfile b = PoolProfile.of("b", "ir", "img", Resources.parse("cpu=1"));
    return KernelspecPopularity.count(Map.of(a, BUSY, b, RARE), now - 7 * DAY, now);
  }

  @Test
  void aProfilesLaunchesPerDayFollowTheClustersDay() {
    ShapedForecaster f = ShapedForecaster.defaults();
    long nine = MONDAY + 9 * HOUR;

    // The busy profile: 100 a day; the cluster's complete days (its first starts at 09:00, so four)
    // hold 400 launches between 09:00 and 10:00 and the rare profile's 2 at 15:00.
    assertThat(f.expectedLaunches(BUSY, Instant.ofEpochMilli(nine), HORIZON, cluster(nine))).isCloseTo(100 * 400 / 402.0, within(1e-6));
    assertThat(f.expectedLaunches(BUSY, Instant.ofEpochMilli(MONDAY + 3 * HOUR), HORIZON, cluster(nine))).isZero();
    // The rare one is read by the cluster's day too: busiest at 09:00, not at its own 15:00.
    double rareAtNine = f.expectedLaunches(RARE, Instant.ofEpochMilli(nine), HORIZON, cluster(nine));
    double rareAtThree = f.expectedLaunches(RARE, Instant.ofEpochMilli(MONDAY + 15 * HOUR), HORIZON, cluster(nine));
    assertThat(rareAtNine).isGreaterThan(rareAtThree);
  }

  @Test
  void withoutAClusterDayItFallsBackToTheProfilesOwnAverage() {
    ShapedForecaster f = ShapedForecaster.defaults();
    LaunchSeries s = LaunchSeries.ofEpochMillis(MONDAY + HOUR, MONDAY + 2 * HOUR, MONDAY + 3 * HOUR);
    Instant now = Instant.ofEpochMilli(MONDAY + 4 * HOUR);

    // three launches in the three hours since its first: one an hour
    assertThat(f.expectedLaunches(s, now, HORIZON)).isCloseTo(1.0, within(1e-9));
    assertThat(f.expectedLaunches(LaunchSeries.empty(), now, HORIZON)).isZero();
  }
}
