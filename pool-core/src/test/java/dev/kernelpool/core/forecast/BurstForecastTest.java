package dev.kernelpool.core.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kernelpool.core.snapshot.LaunchSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BurstForecastTest {
  /** Monday 2026-03-02. */
  private static final long MONDAY = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
  private static final long MINUTE = 60_000;
  private static final long HOUR = 60 * MINUTE;
  private static final long DAY = 24 * HOUR;

  /** 300 launches evenly over 10:00-10:02 on each of the five weekdays before MONDAY, and one a day at 15:00. */
  private static LaunchSeries classAtTen() {
    List<Long> times = new ArrayList<>();
    for (int d = 7; d >= 3; d--) { // Mon 23 Feb .. Fri 27 Feb
      long ten = MONDAY - d * DAY + 10 * HOUR;
      for (int i = 0; i < 300; i++) {
        times.add(ten + i * 400L);
      }
      times.add(MONDAY - d * DAY + 15 * HOUR);
    }
    return LaunchSeries.ofEpochMillis(times.stream().mapToLong(Long::longValue).toArray());
  }

  private static BurstForecast forecast(int maxStarting) {
    return new BurstForecast(20, Duration.ofMinutes(10), Duration.ofMinutes(60), Duration.ofMinutes(2), maxStarting, 7);
  }

  @Test
  void withEnoughStartsAtOnceABurstIsStartedOneSlowStartAndOneReplanAhead() {
    BurstForecast f = forecast(10_000);
    LaunchSeries s = classAtTen();
    long lead = 2 * MINUTE + f.replanEvery().toMillis();

    // An hour ahead the burst is seen (replan often) but needs nothing yet.
    assertThat(f.kernelsNeeded(s, MONDAY + 9 * HOUR + 30 * MINUTE).kernels()).isZero();
    assertThat(f.kernelsNeeded(s, MONDAY + 10 * HOUR - lead - 1000).kernels()).isZero();
    // From then on, every launch expected within the lead: 2.5 a second.
    assertThat(f.kernelsNeeded(s, MONDAY + 10 * HOUR - lead + 10_000).kernels()).isEqualTo(25);
    assertThat(f.kernelsNeeded(s, MONDAY + 10 * HOUR).kernels()).isEqualTo(300);
    // Half way through, the other half; just after it nothing more, but its kernels are kept a lead
    // longer (launches may come later than history's); once that is past, no burst at all.
    assertThat(f.kernelsNeeded(s, MONDAY + 10 * HOUR + MINUTE).kernels()).isEqualTo(150);
    assertThat(f.kernelsNeeded(s, MONDAY + 10 * HOUR + 3 * MINUTE)).isEqualTo(new BurstForecast.Need(0, true));
    assertThat(f.kernelsNeeded(s, MONDAY + 10 * HOUR + 2 * MINUTE + lead)).isEqualTo(BurstForecast.NONE);
  }

  @Test
  void aBurstLargerThanMaxStartingIsBegunInWavesAsLateAsTheyAllow() {
    BurstForecast f = forecast(20);
    LaunchSeries s = classAtTen();
    long lead = 2 * MINUTE + f.replanEvery().toMillis();
    long lastLaunch = MONDAY + 10 * HOUR + 299 * 400L;

    // 300 kernels, 20 per lead: the need begins about 15 leads before the class, not before.
    long firstNeed = -1;
    for (long t = MONDAY + 9 * HOUR; t <= MONDAY + 10 * HOUR; t += 5_000) {
      int need = f.kernelsNeeded(s, t).kernels();
      if (need > 0 && firstNeed < 0) {
        firstNeed = t;
      }
      // and never asks for more than one wave more per lead
      if (t + lead <= MONDAY + 10 * HOUR) {
        assertThat(f.kernelsNeeded(s, t + lead).kernels() - need).isLessThanOrEqualTo(20);
      }
    }
    assertThat(firstNeed).isBetween(lastLaunch - 16 * lead, lastLaunch - 14 * lead);
    assertThat(f.kernelsNeeded(s, MONDAY + 10 * HOUR).kernels()).isEqualTo(300);
  }

  @Test
  void ordinaryDemandIsNoBurst() {
    BurstForecast f = forecast(20);
    // A launch every three minutes all day, every day: busy, but no stretch of 10 minutes holds 20.
    List<Long> times = new ArrayList<>();
    for (long t = MONDAY - 7 * DAY; t < MONDAY; t += 3 * MINUTE) {
      times.add(t);
    }
    LaunchSeries steady = LaunchSeries.ofEpochMillis(times.stream().mapToLong(Long::longValue).toArray());

    assertThat(f.kernelsNeeded(steady, MONDAY + 10 * HOUR)).isEqualTo(BurstForecast.NONE);
    assertThat(f.kernelsNeeded(LaunchSeries.empty(), MONDAY + 10 * HOUR)).isEqualTo(BurstForecast.NONE);
  }

  @Test
  void aWeekdayClassIsNoBurstOnASaturday() {
    long saturday = MONDAY + 5 * DAY;
    LaunchSeries s = classAtTen();

    assertThat(forecast(10_000).kernelsNeeded(s, saturday + 10 * HOUR)).isEqualTo(BurstForecast.NONE);
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new BurstForecast(0, Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(2), 1, 7))
        .hasMessageContaining("minLaunches");
    assertThatThrownBy(() -> new BurstForecast(5, Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofMinutes(2), 1, 7))
        .hasMessageContaining("window <= lookahead");
  }
}
