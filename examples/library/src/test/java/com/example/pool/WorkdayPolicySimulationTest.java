package com.example.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kernelpool.core.forecast.LaunchFrequencyForecaster;
import dev.kernelpool.core.plan.DemandRules;
import dev.kernelpool.core.plan.PoolPolicy;
import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.sim.SimResult;
import dev.kernelpool.core.sim.SimSettings;
import dev.kernelpool.core.sim.Simulation;
import dev.kernelpool.core.sim.policy.PlannerPolicy;
import dev.kernelpool.core.sim.policy.Policies;
import dev.kernelpool.core.sim.policy.SimPolicy;
import dev.kernelpool.core.sim.trace.Launch;
import dev.kernelpool.core.sim.trace.QuotaFileReader;
import dev.kernelpool.core.sim.trace.TraceReader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The custom policy in pool-core's simulator, on a trace kept with the tests (two weeks of a team
 * that works 9 to 17 on weekdays, written by {@code kernel-pool.jar generate} style CSV), against
 * the design talk's policy: the same warm launches, far fewer idle kernel-hours.
 */
class WorkdayPolicySimulationTest {
  private static BufferedReader resource(String name) {
    return new BufferedReader(new InputStreamReader(WorkdayPolicySimulationTest.class.getResourceAsStream(name), StandardCharsets.UTF_8));
  }

  @Test
  void theWorkdayRuleKeepsTheHitsAndCutsTheNightsIdleKernels() throws Exception {
    List<Launch> trace = TraceReader.read(resource("/office-hours-trace.csv"), "office-hours-trace.csv");
    Map<String, Resources> quotas = QuotaFileReader.read(resource("/office-hours-quotas.csv"), "office-hours-quotas.csv");
    SimSettings settings = SimSettings.DEFAULTS;

    SimResult seed = new Simulation(trace, quotas, settings, Policies.seed(settings)).run(p -> { });
    SimPolicy workday = new PlannerPolicy("workday",
        PoolPolicy.DEFAULTS.withFootprint(settings.footprint()).withDemand(new DemandRules(Duration.ofMinutes(15), 0)),
        new WorkdayForecaster(new LaunchFrequencyForecaster(Duration.ofDays(7)), ZoneOffset.UTC, LocalTime.of(8, 30), LocalTime.of(17, 0)),
        Optional.of(Duration.ofMinutes(5)), false);
    SimResult ours = new Simulation(trace, quotas, settings, workday).run(p -> { });

    assertThat(ours.launches()).isEqualTo(trace.size());
    assertThat(ours.hits()).isGreaterThanOrEqualTo((long) (seed.hits() * 0.95));
    assertThat(ours.idleKernelHours()).isLessThan(seed.idleKernelHours() * 0.6);
  }
}
