package dev.kernelpool.core.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kernelpool.core.snapshot.LaunchSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeasonalForecasterTest {
  private static final Instant MONDAY = Instant.parse("2026-01-05T00:00:00Z");
  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;

  /** {@code perHour} launches spread evenly in each hour from 9:00 to 17:00 of each weekday before {@code days}. */
  private static LaunchSeries officeHours(int days, int perHour) {
    List<Long> t = new ArrayList<>();
    for (int d = 0; d < days; d++) {
      if (d % 7 >= 5) {
        continue;
      }
      for (int h = 9; h < 17; h++) {
        for (int k = 0; k < perHour; k++) {
          t.add(MONDAY.toEpochMilli() + d * DAY + h * HOUR + k * HOUR / perHour);
        }
      }
    }
    return LaunchSeries.ofEpochMillis(t.stream().mapToLong(Long::longValue).toArray());
  }

  private final SeasonalForecaster f = new SeasonalForecaster(14, Duration.ofMinutes(30), Duration.ofHours(1));

  @Test
  void expectsTheUsualLoadAtTheUsualHourBeforeItStarts() {
    LaunchSeries s = officeHours(14, 12);
    Instant nextMondayMorning = MONDAY.plusMillis(14 * DAY + 9 * HOUR);

    // The window 9:00-9:30 widened by ±1h is 8:00-10:30: 18 launches each previous weekday, so a
    // rate of 18 per 150 minutes, 3.6 per 30.
    assertThat(f.expectedLaunches(s, nextMondayMorning, Duration.ofMinutes(30))).isCloseTo(3.6, within(0.01));
    assertThat(f.expectedLaunches(s, MONDAY.plusMillis(14 * DAY + 3 * HOUR), Duration.ofMinutes(30))).isZero();
  }

  @Test
  void weekendsForecastFromWeekends() {
    LaunchSeries s = officeHours(14, 12);
    Instant saturdayNoon = MONDAY.plusMillis(12 * DAY + 12 * HOUR);

    assertThat(f.expectedLaunches(s, saturdayNoon, Duration.ofMinutes(30))).isZero();
  }

  @Test
  void aBurstHistoryDidNotForeseeStillCounts() {
    long[] burst = new long[30];
    Instant now = MONDAY.plusMillis(3 * DAY + 3 * HOUR);
    for (int i = 0; i < 30; i++) {
      burst[i] = now.toEpochMilli() - 60_000L * i - 1;
    }

    assertThat(f.expectedLaunches(LaunchSeries.ofEpochMillis(burst), now, Duration.ofMinutes(15))).isCloseTo(15.0, within(0.01));
    assertThat(f.expectedLaunches(LaunchSeries.empty(), now, Duration.ofMinutes(15))).isZero();
  }
}
