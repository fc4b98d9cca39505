package dev.kernelpool.core.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.KernelspecPopularity;
import dev.kernelpool.core.snapshot.LaunchHistory;
import dev.kernelpool.core.snapshot.LaunchSeries;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileRankingTest {
  private static final Instant NOW = Instant.parse("2026-01-05T12:00:00Z");
  private static final PoolProfile A = profile("a");
  private static final PoolProfile B = profile("b");
  private static final PoolProfile C = profile("c");

  private static PoolProfile profile(String spec) {
    return PoolProfile.of("ns", spec, "img", Resources.parse("cpu=1"));
  }

  private static LaunchSeries launches(int count, Duration spacing) {
    long[] t = new long[count];
    for (int i = 0; i < count; i++) {
      t[i] = NOW.minus(spacing.multipliedBy(i + 1)).toEpochMilli();
    }
    return LaunchSeries.ofEpochMillis(t);
  }

  @Test
  void tiesGoToTheKernelspecTheClusterLaunchesMostWhenPopularityIsGiven() {
    var ranking = new ProfileRanking(new LaunchFrequencyForecaster(Duration.ofDays(1)), Duration.ofHours(1));
    List<ProfileRanking.Candidate> tied = List.of(
        new ProfileRanking.Candidate(A, launches(1, Duration.ofMinutes(10))),
        new ProfileRanking.Candidate(B, launches(1, Duration.ofMinutes(20))),
        new ProfileRanking.Candidate(C, launches(2, Duration.ofMinutes(10))));
    var popularity = KernelspecPopularity.count(Map.of(
        PoolProfile.of("elsewhere", "b", "img", Resources.parse("cpu=1")), launches(60, Duration.ofMinutes(1)),
        PoolProfile.of("elsewhere", "a", "img", Resources.parse("cpu=1")), launches(25, Duration.ofMinutes(1))),
        Long.MIN_VALUE);

    assertThat(popularity.of("b")).isEqualTo(60);
    assertThat(popularity.of("unknown")).isZero();
    // The forecast ranks first; popularity only orders equal forecasts; without it, names do.
    assertThat(ranking.rank(tied, NOW, popularity)).extracting(RankedProfile::profile).containsExactly(C, B, A);
    assertThat(ranking.rank(tied, NOW)).extracting(RankedProfile::profile).containsExactly(C, A, B);
  }

  @Test
  void frequencyForecastIsTheTrailingRateOverTheHorizon() {
    var f = new LaunchFrequencyForecaster(Duration.ofHours(1));
    // 6 launches in the last hour, one more two hours ago (outside the lookback)
    LaunchSeries s = launches(6, Duration.ofMinutes(9)).plus(NOW.minus(Duration.ofHours(2)).toEpochMilli());

    assertThat(f.expectedLaunches(s, NOW, Duration.ofMinutes(10))).isEqualTo(1.0);
    assertThat(f.expectedLaunches(LaunchSeries.empty(), NOW, Duration.ofMinutes(10))).isZero();
  }

  @Test
  void ranksByForecastHighestFirst() {
    var history =
        new LaunchHistory(
            Map.of(
                A, launches(2, Duration.ofMinutes(10)),
                B, launches(10, Duration.ofMinutes(5)),
                C, launches(5, Duration.ofMinutes(5))));
    var ranking = new ProfileRanking(new LaunchFrequencyForecaster(Duration.ofDays(1)), Duration.ofHours(1));

    List<RankedProfile> ranked = ranking.rank(List.of(A, B, C), history, NOW);

    assertThat(ranked).extracting(RankedProfile::profile).containsExactly(B, C, A);
    assertThat(ranked.get(0).launchesPerHour()).isEqualTo(10.0 / 24);
  }

  @Test
  void tiesAreBrokenByProfileNotByInputOrder() {
    var ranking = new ProfileRanking(new LaunchFrequencyForecaster(Duration.ofDays(1)), Duration.ofHours(1));

    assertThat(ranking.rank(List.of(C, A, B), LaunchHistory.empty(), NOW))
        .extracting(RankedProfile::profile)
        .containsExactly(A, B, C);
    assertThat(ranking.rank(List.of(B, C, A), LaunchHistory.empty(), NOW))
        .extracting(RankedProfile::profile)
        .containsExactly(A, B, C);
  }

  @Test
  void aForecasterReturningGarbageIsRejected() {
    DemandForecaster broken =
        new DemandForecaster() {
          @Override
          public String name() {
            return "broken";
          }

          @Override
          public double expectedLaunches(LaunchSeries series, Instant now, Duration horizon) {
            return Double.NaN;
          }
        };
    var ranking = new ProfileRanking(broken, Duration.ofHours(1));

    assertThatThrownBy(() -> ranking.rank(List.of(A), LaunchHistory.empty(), NOW))
        .hasMessageContaining("forecaster broken returned NaN");
  }
}
