package dev.kernelpool.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PoolSizingTest {
  private static final Duration REFILL = Duration.ofSeconds(90);

  @Test
  void coverHorizonWarmsTheExpectedLaunches() {
    var cover = new PoolSizing.CoverHorizon();

    assertThat(cover.kernels(99, 0)).isZero();
    assertThat(cover.kernels(1, 0.01)).isEqualTo(1);
    assertThat(cover.kernels(1, 3.0)).isEqualTo(3);
    assertThat(cover.kernels(1, 3.2)).isEqualTo(4);
  }

  @Test
  void marginalValueKeepsKernelsWhileTheyPay() {
    // 40 launches/h with a 90 s refill is a load of 1: Erlang B(k, 1) = 1/2, 1/5, 1/16, 1/65, 1/326.
    // The k-th kernel adds 40 * (B(k-1) - B(k)) warm launches an hour: 12, 5.5, 1.88, 0.49.
    assertThat(new PoolSizing.MarginalValue(REFILL, 3).kernels(40, 0)).isEqualTo(3);
    assertThat(new PoolSizing.MarginalValue(REFILL, 5.4).kernels(40, 0)).isEqualTo(3);
    assertThat(new PoolSizing.MarginalValue(REFILL, 5.6).kernels(40, 0)).isEqualTo(2);
    assertThat(new PoolSizing.MarginalValue(REFILL, 1).kernels(40, 0)).isEqualTo(4);
    assertThat(new PoolSizing.MarginalValue(REFILL, 0.4).kernels(40, 0)).isEqualTo(5);
  }

  @Test
  void theFirstKernelIsTheThresholdsToGive() {
    var sizing = new PoolSizing.MarginalValue(REFILL, 3);

    assertThat(sizing.kernels(0.01, 0)).isEqualTo(1);
    assertThat(sizing.kernels(0, 0)).isZero();
  }

  @Test
  void aBusyProfileGetsMoreKernelsThanAQuietOneAndNeverUnbounded() {
    var sizing = new PoolSizing.MarginalValue(REFILL, 3);

    assertThat(sizing.kernels(400, 0)).isGreaterThan(sizing.kernels(40, 0));
    assertThat(sizing.kernels(1e12, 0)).isEqualTo(PoolSizing.MarginalValue.LIMIT);
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new PoolSizing.MarginalValue(Duration.ZERO, 1)).hasMessageContaining("demand.refill");
    assertThatThrownBy(() -> new PoolSizing.MarginalValue(REFILL, 0)).hasMessageContaining("minHitsPerIdleHour");
    assertThatThrownBy(() -> new PoolSizing.MarginalValue(REFILL, Double.NaN)).hasMessageContaining("minHitsPerIdleHour");
    assertThatThrownBy(() -> new QuietRefill(Duration.ofMinutes(-1), 1)).hasMessageContaining("quietRefillDelay");
    assertThatThrownBy(() -> new QuietRefill(Duration.ofMinutes(1), -1)).hasMessageContaining("quietLaunchesPerHour");
    assertThatThrownBy(() -> new DemandRules(Duration.ofMinutes(7), 0.01, -1, new PoolSizing.CoverHorizon(), QuietRefill.NONE, false))
        .hasMessageContaining("topMinLaunchesPerHour");
  }
}
