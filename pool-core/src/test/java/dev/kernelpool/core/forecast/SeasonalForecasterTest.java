package dev.kernelpool.core.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

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

    // 30 launches in the last 30 minutes, counted from the second: 29 per 30 minutes.
    assertThat(f.expectedLaunches(LaunchSeries.ofEpochMillis(burst), now, Duration.ofMinutes(15))).isCloseTo(14.5, within(0.01));
    assertThat(f.expectedLaunches(LaunchSeries.empty(), now, Duration.ofMinutes(15))).isZero();
  }

  /** {@code perDay} launches in the two minutes from 10:00 on each weekday before {@code days}, and one at 15:00. */
  private static LaunchSeries classAtTen(int days, int perDay) {
    List<Long> t = new ArrayList<>();
    for (int d = 0; d < days; d++) {
      if (d % 7 >= 5) {
        continue;
      }
      for (int k = 0; k < perDay; k++) {
        t.add(MONDAY.toEpochMilli() + d * DAY + 10 * HOUR + k * 120_000L / perDay);
      }
      t.add(MONDAY.toEpochMilli() + d * DAY + 15 * HOUR);
    }
    return LaunchSeries.ofEpochMillis(t.stream().mapToLong(Long::longValue).toArray());
  }

  private final SeasonalForecaster shrunk = SeasonalForecaster.defaults();

  @Test
  void aForeseenBurstIsWarmedJustBeforeItAndNotAnHourEarly() {
    LaunchSeries s = classAtTen(14, 30);
    Instant monday = MONDAY.plusMillis(14 * DAY);
    Duration horizon = Duration.ofMinutes(7);

    // 9:55: the window 9:53-10:04 on each earlier weekday held the class.
    assertThat(shrunk.expectedLaunches(s, monday.plusMillis(10 * HOUR - 5 * 60_000L), horizon)).isGreaterThan(10);
    // 9:00: nothing happened at this hour; what remains is the pull toward the average.
    double nine = shrunk.expectedLaunches(s, monday.plusMillis(9 * HOUR), horizon);
    assertThat(nine).isPositive().isLessThan(0.2);
  }

  @Test
  void aBurstHistoryForesawEndsWhenHistorySaysItEnds() {
    LaunchSeries history = classAtTen(14, 30);
    long monday = MONDAY.toEpochMilli() + 14 * DAY;
    // Today's class happened as always; at 10:05 the usual burst is over.
    long[] today = new long[30];
    for (int k = 0; k < 30; k++) {
      today[k] = monday + 10 * HOUR + k * 4_000L;
    }
    LaunchSeries withToday = concat(history, today);
    double after = shrunk.expectedLaunches(withToday, Instant.ofEpochMilli(monday + 10 * HOUR + 5 * 60_000L), Duration.ofMinutes(7));
    assertThat(after).isLessThan(0.5);

    // The same 30 launches at 13:00, where history expects one an afternoon, are a surprise that carries on.
    long[] surprise = new long[30];
    for (int k = 0; k < 30; k++) {
      surprise[k] = monday + 13 * HOUR + k * 4_000L;
    }
    double carriesOn = shrunk.expectedLaunches(concat(history, surprise), Instant.ofEpochMilli(monday + 13 * HOUR + 3 * 60_000L), Duration.ofMinutes(7));
    assertThat(carriesOn).isGreaterThan(15);
  }

  @Test
  void aRareProfileIsPulledTowardItsAverageAndAFrequentOneFollowsItsHistory() {
    var plain = new SeasonalForecaster(7, Duration.ofMinutes(10), Duration.ofMinutes(2));
    Instant friday = MONDAY.plusMillis(11 * DAY);
    Duration horizon = Duration.ofMinutes(7);
    Instant night = friday.plusMillis(3 * HOUR);
    Instant afternoon = friday.plusMillis(15 * HOUR - 3 * 60_000L);

    // One launch a weekday at 15:00: plain seasonality sees nothing at 3:00 and a spike at 15:00;
    // shrunk, the night keeps a little of the profile's average and the spike is damped.
    LaunchSeries rare = classAtTen(11, 0);
    assertThat(plain.expectedLaunches(rare, night, horizon)).isZero();
    assertThat(shrunk.expectedLaunches(rare, night, horizon)).isPositive();
    assertThat(shrunk.expectedLaunches(rare, afternoon, horizon)).isLessThan(plain.expectedLaunches(rare, afternoon, horizon));

    // 30 at 10:00 every weekday: plenty of history, so shrinking moves the estimate by under a fifth.
    LaunchSeries frequent = classAtTen(11, 30);
    Instant beforeClass = friday.plusMillis(10 * HOUR - 3 * 60_000L);
    assertThat(shrunk.expectedLaunches(frequent, beforeClass, horizon))
        .isCloseTo(plain.expectedLaunches(frequent, beforeClass, horizon), withinPercentage(20));
  }

  private static LaunchSeries concat(LaunchSeries s, long[] more) {
    long[] all = new long[s.size() + more.length];
    for (int i = 0; i < s.size(); i++) {
      all[i] = s.epochMilliAt(i);
    }
    System.arraycopy(more, 0, all, s.size(), more.length);
    return LaunchSeries.ofEpochMillis(all);
  }
}
