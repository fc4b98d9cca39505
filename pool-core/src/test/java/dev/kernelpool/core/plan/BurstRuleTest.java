package dev.kernelpool.core.plan;

import static dev.kernelpool.core.plan.Fixtures.NOW;
import static dev.kernelpool.core.plan.Fixtures.namespace;
import static dev.kernelpool.core.plan.Fixtures.profile;
import static dev.kernelpool.core.snapshot.MemberState.STARTING;
import static dev.kernelpool.core.snapshot.MemberState.WARM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kernelpool.core.forecast.LaunchFrequencyForecaster;
import dev.kernelpool.core.quota.FootprintRule;
import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.ClusterSnapshot;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class BurstRuleTest {
  private static final FootprintRule FULL = new FootprintRule(Resources.none());
  private static final PoolProfile PY = profile("course", "python3", "cpu=1,memory=1Gi");
  private static final long DAY = Duration.ofDays(1).toMillis();
  /** NOW is Monday 10:00: the class of 300 came at 10:00:30-10:01:30 on the five weekdays before. */
  private static final long[] CLASS = LongStream.rangeClosed(3, 7)
      .flatMap(d -> LongStream.range(0, 300).map(i -> NOW.toEpochMilli() - d * DAY + 30_000 + i * 200))
      .sorted()
      .toArray();
  private static final BurstRule ON = BurstRule.DISABLED.on().withMaxStarting(1_000);
  private static final PoolPolicy POLICY =
      PoolPolicy.DEFAULTS.withFootprint(FULL).withDemand(new DemandRules(Duration.ofMinutes(15), 0));

  private static NamespacePlan plan(PoolPolicy policy, Fixtures.NamespaceBuilder ns) {
    Planner planner = new Planner(policy, new LaunchFrequencyForecaster(Duration.ofDays(7)), Clock.fixed(NOW, ZoneOffset.UTC));
    return planner.plan(new ClusterSnapshot(List.of(ns.build(policy.footprint()))), NOW).namespaces().get(0);
  }

  private static int created(NamespacePlan plan) {
    return plan.actions().stream().filter(a -> a instanceof PlanAction.Create).mapToInt(a -> ((PlanAction.Create) a).count()).sum();
  }

  @Test
  void aForecastBurstIsWarmedPastThePoolCapButNeverPastTheUsageCeiling() {
    // Pool cap: 10 cpu. Usage ceiling: 95 - 40 used = 55 cpu.
    var ns = namespace("course").quota("cpu=100,memory=1000Gi", "cpu=40").launchedAt(PY, CLASS);

    assertThat(created(plan(POLICY, ns))).isLessThanOrEqualTo(10);
    NamespacePlan burst = plan(POLICY.withBurst(ON), ns);
    assertThat(created(burst)).isEqualTo(55);
    assertThat(burst.replanBy()).contains(NOW.plus(Duration.ofSeconds(15)));

    var busier = namespace("course").quota("cpu=100,memory=1000Gi", "cpu=90").launchedAt(PY, CLASS);
    assertThat(created(plan(POLICY.withBurst(ON), busier))).isEqualTo(5);
  }

  @Test
  void whileTheBurstIsUnderWayItsKernelsAreKeptAndStartingOnesGoBeforeWarmOnesOnceItIsOver() {
    Instant afterClass = NOW.plus(Duration.ofMinutes(5));
    var during = namespace("course").quota("cpu=1000,memory=1000Gi", "cpu=0").launchedAt(PY, CLASS);
    for (int i = 0; i < 400; i++) {
      during.member("py-" + i, PY, i < 200 ? WARM : STARTING, Duration.ofMinutes(i < 200 ? 2 : 1));
    }
    // 400 kernels for a class of 300: more than the burst needs, but it is under way: none deleted.
    assertThat(plan(POLICY.withBurst(ON), during).actions()).noneMatch(a -> a instanceof PlanAction.Delete);

    // Once history says it is over, the surplus goes, starting kernels first.
    Planner planner = new Planner(POLICY.withBurst(ON), new LaunchFrequencyForecaster(Duration.ofDays(7)), Clock.fixed(afterClass, ZoneOffset.UTC));
    NamespacePlan after = planner.plan(new ClusterSnapshot(List.of(during.build(FULL))), afterClass).namespaces().get(0);
    List<String> deleted = after.actions().stream().filter(a -> a instanceof PlanAction.Delete)
        .map(a -> ((PlanAction.Delete) a).memberId()).toList();
    assertThat(deleted).hasSizeGreaterThan(200).contains("py-399", "py-200");
    assertThat(after.replanBy()).isEmpty();
  }

  @Test
  void theRuleIsOffByDefaultAndValidatesItsSettings() {
    assertThat(PoolPolicy.DEFAULTS.burst().enabled()).isFalse();
    assertThatThrownBy(() -> BurstRule.DISABLED.withMaxStarting(0)).hasMessageContaining("burst.maxStarting");
    assertThatThrownBy(() -> new BurstRule(true, 10, Duration.ofHours(2), Duration.ofHours(1), Duration.ofMinutes(2), 20, 7))
        .hasMessageContaining("burst.window");
  }
}
