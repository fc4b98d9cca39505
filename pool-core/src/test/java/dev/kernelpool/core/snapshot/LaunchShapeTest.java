package dev.kernelpool.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kernelpool.core.resource.Resources;
import java.time.Instant;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LaunchShapeTest {
  private static final long MONDAY = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;
  private static final PoolProfile PY = PoolProfile.of("a", "python3", "img", Resources.parse("cpu=1"));
  private static final PoolProfile R = PoolProfile.of("b", "ir", "img", Resources.parse("cpu=1"));

  /** Every weekday from the Monday before: 30 launches 09:00-10:00, 10 at 22:00-23:00; today 5 before 09:00. */
  private static Map<PoolProfile, LaunchSeries> history() {
    long[] py = LongStream.range(-7, 0)
        .filter(d -> !LaunchShape.isWeekend(MONDAY + d * DAY))
        .flatMap(d -> LongStream.range(0, 30).map(i -> MONDAY + d * DAY + 9 * HOUR + i * 120_000))
        .toArray();
    long[] r = LongStream.concat(
            LongStream.range(-7, 0).filter(d -> !LaunchShape.isWeekend(MONDAY + d * DAY))
                .flatMap(d -> LongStream.range(0, 10).map(i -> MONDAY + d * DAY + 22 * HOUR + i * 360_000)),
            LongStream.range(0, 5).map(i -> MONDAY + 8 * HOUR + i * 60_000))
        .sorted()
        .toArray();
    return Map.of(PY, LaunchSeries.ofEpochMillis(py), R, LaunchSeries.ofEpochMillis(r));
  }

  @Test
  void countsCompleteDaysByKindAndTodaySoFar() {
    LaunchShape shape = LaunchShape.count(history(), MONDAY - 7 * DAY, MONDAY + 8 * HOUR + 30 * 60_000);

    assertThat(shape.knows(MONDAY)).isTrue();
    assertThat(shape.knows(MONDAY + 5 * DAY)).isFalse(); // no launches on weekend days
    // The first weekday's history starts at 09:00, so that day is not taken as complete: four remain.
    assertThat(shape.days(MONDAY)).isEqualTo(4);
    // 120 of 160 weekday launches between 09:00 and 10:00, none at night, half of them by 09:30
    assertThat(shape.share(MONDAY + 9 * HOUR, MONDAY + 10 * HOUR)).isCloseTo(0.75, within(1e-9));
    assertThat(shape.share(MONDAY + 9 * HOUR, MONDAY + 9 * HOUR + 30 * 60_000)).isCloseTo(0.375, within(1e-9));
    assertThat(shape.share(MONDAY + 2 * HOUR, MONDAY + 3 * HOUR)).isZero();
    // a stretch across midnight wraps around the day
    assertThat(shape.share(MONDAY + 21 * HOUR, MONDAY + 24 * HOUR + 10 * HOUR)).isCloseTo(1.0, within(1e-9));
    // today so far: 5 launches in the last half hour
    assertThat(shape.launchesToday(MONDAY + 8 * HOUR + 30 * 60_000)).isEqualTo(5);
    assertThat(shape.recentRate(MONDAY + 8 * HOUR + 30 * 60_000, 30 * 60_000)).isCloseTo(5 / (30 * 60_000.0), within(1e-12));
  }

  @Test
  void aHistoryThatStartsLateInADayDoesNotCountThatDayAsComplete() {
    assertThat(LaunchShape.firstCompleteDay(MONDAY + 10 * 60_000)).isEqualTo(MONDAY);
    assertThat(LaunchShape.firstCompleteDay(MONDAY + 14 * HOUR)).isEqualTo(MONDAY + DAY);
    assertThat(LaunchShape.count(Map.of(), MONDAY - DAY, MONDAY)).isEqualTo(LaunchShape.NONE);
    assertThat(LaunchShape.NONE.knows(MONDAY)).isFalse();
    assertThat(LaunchShape.NONE.share(MONDAY, MONDAY + HOUR)).isZero();
  }
}
