package dev.kernelpool.core.sim.bound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kernelpool.core.sim.SimResult;
import dev.kernelpool.core.sim.SimSettings;
import dev.kernelpool.core.sim.Simulation;
import dev.kernelpool.core.sim.policy.Policies;
import dev.kernelpool.core.sim.trace.Scenario;
import dev.kernelpool.core.sim.trace.TraceGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OnlineBoundTest {
  private static final double MINUTE = 1 / 60.0;

  @Test
  void aSteadyProfileNeedsAWarmKernelForTheShareOfTimeItServes() {
    var bound = new OnlineBound(new double[] {10}, new double[] {100});

    assertThat(bound.expectedLaunches()).isEqualTo(1000);
    // Half the launches warm: a kernel warm half the time (50 h), and 500 starts of a minute.
    assertThat(bound.idleKernelHours(0.5, MINUTE)).isCloseTo(50 + 500 * MINUTE, within(1e-9));
    assertThat(bound.idleKernelHours(0, MINUTE)).isZero();
  }

  @Test
  void warmTimeGoesWhereLaunchesAreDensestFirst() {
    var bound = new OnlineBound(new double[] {1, 10}, new double[] {10, 10});

    assertThat(bound.idleKernelHours(100 / 110.0, 0)).isCloseTo(10, within(1e-9));
    assertThat(bound.idleKernelHours(105 / 110.0, 0)).isCloseTo(15, within(1e-9));
    assertThat(bound.idleKernelHours(1, 0)).isCloseTo(20, within(1e-9));
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new OnlineBound(new double[] {1}, new double[] {})).hasMessageContaining("one duration per rate");
    assertThatThrownBy(() -> new OnlineBound(new double[] {Double.NaN}, new double[] {1})).hasMessageContaining("non-negative");
    assertThatThrownBy(() -> new OnlineBound(new double[] {1}, new double[] {1}).idleKernelHours(1.5, 0)).hasMessageContaining("[0, 1]");
  }

  private static SimResult run(Scenario.Generated g, String policy) {
    return new Simulation(g.launches(), g.quotas(), SimSettings.DEFAULTS, Policies.byName(policy, SimSettings.DEFAULTS)).run(x -> {});
  }

  /** The fastest start the default model draws. */
  private static final double MIN_START_HOURS = SimSettings.DEFAULTS.fastestStart().toMillis() / 3_600_000.0;

  @ParameterizedTest
  @EnumSource(value = Scenario.class, names = {"DIURNAL", "WEEKLY"})
  void ninetyFivePercentWarmAtOneAndAHalfTimesTheOraclesIdleIsOutOfReachWithoutForesight(Scenario scenario) {
    TraceGenerator generator = new TraceGenerator(1);
    OnlineBound bound = generator.onlineBound(scenario);
    Scenario.Generated g = new TraceGenerator(1).generate(scenario);
    SimResult oracle = run(g, "oracle");
    SimResult adaptive = run(g, "adaptive");

    assertThat(bound.expectedLaunches()).isCloseTo(g.launches().size(), within(0.05 * g.launches().size()));
    // What the target allows, and the least any policy without foresight can pay: far more.
    double target = 1.5 * 0.95 * oracle.idleKernelHours();
    assertThat(bound.idleKernelHours(0.95, MIN_START_HOURS)).isGreaterThan(10 * target);
    // adaptive is such a policy, so it pays at least the bound at its own hit rate (a check of the
    // bound), and stays within twice of it.
    double atAdaptive = bound.idleKernelHours(adaptive.hitRate(), MIN_START_HOURS);
    assertThat(adaptive.idleKernelHours()).isBetween(atAdaptive, 2 * atAdaptive);
  }

  @Test
  void onAPlatformAHundredTimesLargerTheTargetIsNoLongerRuledOut() {
    Scenario.Generated g = new TraceGenerator(1, 100).generate(Scenario.DIURNAL);
    SimResult oracle = run(g, "oracle");

    double least = new TraceGenerator(1, 100).onlineBound(Scenario.DIURNAL).idleKernelHours(0.95, MIN_START_HOURS);
    assertThat(least).isLessThan(1.5 * 0.95 * oracle.idleKernelHours());
  }
}
