package dev.kernelpool.core.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kernelpool.core.snapshot.LaunchSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CombinedForecasterTest {
  private static DemandForecaster constant(String name, double value) {
    return new DemandForecaster() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public double expectedLaunches(LaunchSeries series, Instant now, Duration horizon) {
        return value;
      }
    };
  }

  @Test
  void takesTheLargestForecast() {
    var f = new CombinedForecaster(List.of(constant("a", 0.2), constant("b", 3.5), constant("c", 1)));

    assertThat(f.expectedLaunches(LaunchSeries.empty(), Instant.EPOCH, Duration.ofMinutes(15))).isEqualTo(3.5);
    assertThat(Forecasters.byName("combined").name()).isEqualTo("combined");
    assertThatThrownBy(() -> Forecasters.byName("crystal-ball")).hasMessageContaining("known: frequency, seasonal, combined");
    assertThatThrownBy(() -> new CombinedForecaster(List.of())).hasMessageContaining("at least one");
  }

  @Test
  void anIrregularProfileKeepsTheFrequencyFloorSeasonalityWouldMiss() {
    Instant now = Instant.parse("2026-01-12T03:00:00Z");
    LaunchSeries oneADayAtNoon = LaunchSeries.ofEpochMillis(
        Instant.parse("2026-01-07T12:00:00Z").toEpochMilli(), Instant.parse("2026-01-08T12:00:00Z").toEpochMilli());

    var plainSeasonal = new SeasonalForecaster(7, Duration.ofMinutes(30), Duration.ofHours(1));
    assertThat(plainSeasonal.expectedLaunches(oneADayAtNoon, now, Duration.ofMinutes(15))).isZero();
    assertThat(CombinedForecaster.defaults().expectedLaunches(oneADayAtNoon, now, Duration.ofMinutes(15))).isPositive();
  }
}
