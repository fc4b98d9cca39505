package dev.kernelpool.core.sim.bound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kernelpool.core.sim.SimResult;
import dev.kernelpool.core.sim.report.JsonReport;
import dev.kernelpool.core.sim.report.TableReport;
import dev.kernelpool.core.sim.trace.Launch;
import dev.kernelpool.core.sim.trace.Scenario;
import dev.kernelpool.core.sim.trace.TraceGenerator;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TraceRatesTest {
  private static final long HOUR = 3_600_000L;

  private static Launch at(long ms, String kernelspec) {
    return new Launch(ms, "team-a", kernelspec, 1000, 1_073_741_824_000L, 60);
  }

  @Test
  void eachProfilesRateInABucketIsItsLaunchesThere() {
    // python3: 4 launches in hour 0, 1 in hour 5; ir: 2 in hour 0
    List<Launch> trace = List.of(at(0, "python3"), at(1, "ir"), at(10, "python3"), at(20, "python3"), at(30, "ir"),
        at(40, "python3"), at(5 * HOUR + 1, "python3"));
    OnlineBound bound = TraceRates.bound(trace, Duration.ofHours(1));
    assertThat(bound.expectedLaunches()).isEqualTo(7);
    // 4 of 7 warm: one warm hour of python3 in hour 0 (busiest first), and no start time
    assertThat(bound.idleKernelHours(4 / 7.0, 0)).isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    // 6 of 7: that hour, then ir's hour (rate 2)
    assertThat(bound.idleKernelHours(6 / 7.0, 0)).isEqualTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThatThrownBy(() -> TraceRates.bound(trace, Duration.ZERO)).hasMessageContaining("bucket must be positive");
  }

  /** Knowing each hour's count is a kind of foresight: the estimate never exceeds the bound from the true rates. */
  @Test
  void onAGeneratedTraceTheEstimateIsAtOrBelowTheBoundFromTheGeneratorsTrueRates() {
    TraceGenerator generator = new TraceGenerator(1);
    Scenario.Generated g = generator.generate(Scenario.DIURNAL);
    OnlineBound truth = generator.onlineBound(Scenario.DIURNAL);
    OnlineBound estimate = TraceRates.bound(g.launches(), Duration.ofHours(1));
    for (double h : new double[] {0.5, 0.8, 0.9, 0.95}) {
      assertThat(estimate.idleKernelHours(h, 60 / 3600.0)).as("at %.0f%%", 100 * h)
          .isLessThanOrEqualTo(truth.idleKernelHours(h, 60 / 3600.0));
    }
  }

  @Test
  void theReportsShowEachPolicysIdleOverTheBoundsAtItsHitRate() {
    List<Launch> trace = List.of(at(0, "python3"), at(10, "python3"), at(HOUR + 5, "python3"), at(HOUR + 6, "python3"));
    BoundComparison bound = new BoundComparison(TraceRates.bound(trace, Duration.ofHours(1)), Duration.ZERO, "trace, hourly");
    SimResult half = new SimResult("half", 4, 2, 0, 0, 0, 3.0, 0, 0, 0, 0, 0, List.of(), List.of());
    SimResult none = new SimResult("none", 4, 0, 0, 0, 0, 0.0, 0, 0, 0, 0, 0, List.of(), List.of());
    assertThat(bound.ratio(half)).isEqualTo(3.0); // the bound keeps one kernel for one hour for 2 of 4
    assertThat(bound.ratio(none)).isEqualTo(1.0);

    String table = TableReport.render(List.of(half, none), Optional.of(bound));
    assertThat(table).contains("vs bound").contains("3.00x").contains("rates from the trace, hourly");
    assertThat(TableReport.render(List.of(half))).doesNotContain("vs bound");
    assertThat(JsonReport.render(List.of(half), Optional.of(bound))).contains("\"vs_bound\": 3.0000").contains("\"bound_source\"");
  }
}
