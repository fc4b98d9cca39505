package dev.kernelpool.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LaunchSeriesTest {

  @Test
  void countsLaunchesInHalfOpenIntervals() {
    LaunchSeries s = LaunchSeries.ofEpochMillis(30, 10, 20, 20, 40);

    assertThat(s.countMillis(10, 40)).isEqualTo(4);
    assertThat(s.countMillis(20, 21)).isEqualTo(2);
    assertThat(s.countMillis(41, 100)).isZero();
    assertThat(s.countMillis(40, 10)).isZero();
  }

  @Test
  void anyMatchesCountInEveryCase() {
    LaunchSeries s = LaunchSeries.ofEpochMillis(10, 20, 20, 30);
    for (long from = 0; from < 40; from++) {
      for (long to = 0; to < 40; to++) {
        assertThat(s.anyMillis(from, to)).as("[%d, %d)", from, to).isEqualTo(s.countMillis(from, to) > 0);
      }
    }
    assertThat(LaunchSeries.empty().anyMillis(0, 100)).isFalse();
  }

  @Test
  void countIsExactAroundTheLastLaunch() {
    LaunchSeries s = LaunchSeries.ofEpochMillis(10, 20, 20, 30);
    assertThat(s.countMillis(0, 30)).isEqualTo(3);
    assertThat(s.countMillis(0, 31)).isEqualTo(4);
    assertThat(s.countMillis(20, 31)).isEqualTo(3);
    assertThat(s.countMillis(31, 100)).isZero();
  }

  @Test
  void plusKeepsOrderAndSinceTrimsTheHead() {
    LaunchSeries s = LaunchSeries.ofEpochMillis(10, 30).plus(20).plus(5);

    assertThat(s).isEqualTo(LaunchSeries.ofEpochMillis(5, 10, 20, 30));
    assertThat(s.since(15)).isEqualTo(LaunchSeries.ofEpochMillis(20, 30));
  }
}
