package dev.kernelpool.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kernelpool.core.plan.PlanAction;
import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.sim.policy.Policies;
import dev.kernelpool.core.sim.policy.SimPolicy;
import dev.kernelpool.core.sim.report.HtmlReport;
import dev.kernelpool.core.sim.report.JsonReport;
import dev.kernelpool.core.sim.trace.Scenario;
import dev.kernelpool.core.sim.trace.TraceGenerator;
import dev.kernelpool.core.snapshot.NamespaceState;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimulationTest {
  private static final Scenario.Generated DIURNAL = new TraceGenerator(1).generate(Scenario.DIURNAL);
  private static final Scenario.Generated NEAR_QUOTA = new TraceGenerator(1).generate(Scenario.NEAR_QUOTA);

  private static SimResult run(Scenario.Generated g, String policy) {
    return new Simulation(g.launches(), g.quotas(), SimSettings.DEFAULTS, Policies.byName(policy, SimSettings.DEFAULTS)).run(x -> {});
  }

  @Test
  void sameTraceSeedAndSettingsGiveByteIdenticalOutput() {
    List<SimResult> a = new ArrayList<>();
    List<SimResult> b = new ArrayList<>();
    for (String p : Policies.names()) {
      a.add(run(DIURNAL, p));
      b.add(run(DIURNAL, p));
    }

    assertThat(JsonReport.render(a)).isEqualTo(JsonReport.render(b));
    assertThat(HtmlReport.render("t", a)).isEqualTo(HtmlReport.render("t", b));
  }

  @Test
  void timerPassesPlannedInParallelGiveWhatOneByOneGives() {
    // 1,000 namespaces: the planner's snapshot path plans them in parallel.
    Scenario.Generated g = new TraceGenerator(1).generate(Scenario.LONG_TAIL);
    SimPolicy adaptive = Policies.byName("adaptive", SimSettings.DEFAULTS);
    SimPolicy oneByOne = new SimPolicy() {
      @Override
      public String name() {
        return adaptive.name();
      }

      @Override
      public Optional<Duration> tick() {
        return adaptive.tick();
      }

      @Override
      public boolean reactive() {
        return adaptive.reactive();
      }

      @Override
      public Resources footprint(PoolProfile profile) {
        return adaptive.footprint(profile);
      }

      @Override
      public List<PlanAction> decide(NamespaceState namespace, Instant now) {
        return adaptive.decide(namespace, now);
      }
    };

    SimResult parallel = new Simulation(g.launches(), g.quotas(), SimSettings.DEFAULTS, adaptive).run(x -> {});
    SimResult sequential = new Simulation(g.launches(), g.quotas(), SimSettings.DEFAULTS, oneByOne).run(x -> {});

    assertThat(parallel.hits()).isPositive();
    assertThat(JsonReport.render(List.of(parallel))).isEqualTo(JsonReport.render(List.of(sequential)));
  }

  @Test
  void withoutAPoolEveryLaunchIsColdAndTheOracleServesEveryLaunchWarm() {
    SimResult none = run(DIURNAL, "none");
    SimResult oracle = run(DIURNAL, "oracle");

    assertThat(none.hits()).isZero();
    assertThat(none.waitP50Seconds()).isBetween(60.0, 120.0);
    assertThat(none.idleKernelHours()).isZero();
    assertThat(oracle.hitRate()).isEqualTo(1.0);
    assertThat(oracle.waitP99Seconds()).isLessThan(1.0);
    // Each oracle kernel idles between (lead - slowest start) and lead: 0 to 2 minutes.
    assertThat(oracle.idleKernelHours()).isBetween(0.0, oracle.launches() * 2.0 / 60);
  }

  @Test
  void planningPoliciesNeverBreakTheUsageCeilingNearTheQuota() {
    for (String p : List.of("seed", "adaptive")) {
      SimResult r = run(NEAR_QUOTA, p);
      assertThat(r.quotaViolations()).as(p).isZero();
      assertThat(r.hits()).as(p).isPositive();
    }
    assertThat(run(NEAR_QUOTA, "static").quotaViolations()).isPositive();
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @CsvSource({"DIURNAL,1", "WEEKLY,1", "CLASS,1", "NEAR_QUOTA,1", "LONG_TAIL,1", "DIURNAL,2", "CLASS,2", "NEAR_QUOTA,2", "LONG_TAIL,2"})
  void adaptiveServesMoreLaunchesWarmThanTheTalksPolicyForLessIdleTime(Scenario scenario, long traceSeed) {
    Scenario.Generated g = new TraceGenerator(traceSeed).generate(scenario);
    SimResult seed = run(g, "seed");
    SimResult adaptive = run(g, "adaptive");

    assertThat(adaptive.hits()).isGreaterThan(seed.hits());
    assertThat(adaptive.idleKernelHours()).isLessThan(seed.idleKernelHours());
  }

  @Test
  void jsonHasOneSnakeCaseObjectPerPolicy() {
    String json = JsonReport.render(List.of(run(DIURNAL, "none"), run(DIURNAL, "seed")));

    assertThat(json).startsWith("{\"policies\": [").contains("\"policy\": \"none\"", "\"policy\": \"seed\"",
        "\"hit_rate\": ", "\"idle_kernel_hours\": ", "\"quota_violations\": 0", "\"wait_p99_s\": ");
  }
}
