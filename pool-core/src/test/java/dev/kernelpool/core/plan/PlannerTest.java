package dev.kernelpool.core.plan;

import static dev.kernelpool.core.plan.Fixtures.NOW;
import static dev.kernelpool.core.plan.Fixtures.namespace;
import static dev.kernelpool.core.plan.Fixtures.profile;
import static dev.kernelpool.core.snapshot.MemberState.CLAIMED;
import static dev.kernelpool.core.snapshot.MemberState.STARTING;
import static dev.kernelpool.core.snapshot.MemberState.TERMINATING;
import static dev.kernelpool.core.snapshot.MemberState.WARM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kernelpool.core.eligibility.Eligibility;
import dev.kernelpool.core.eligibility.EligibilityRules;
import dev.kernelpool.core.eligibility.LabelRule;
import dev.kernelpool.core.forecast.LaunchFrequencyForecaster;
import dev.kernelpool.core.quota.FootprintRule;
import dev.kernelpool.core.quota.SizingRules;
import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.ClusterSnapshot;
import dev.kernelpool.core.snapshot.NamespaceState;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PlannerTest {
  private static final FootprintRule FULL = new FootprintRule(Resources.none());
  private static final PoolPolicy POLICY =
      PoolPolicy.DEFAULTS.withFootprint(FULL).withDemand(new DemandRules(Duration.ofHours(1), 0));

  private static final PoolProfile PY = profile("team-a", "python3", "cpu=1,memory=1Gi");
  private static final PoolProfile R = profile("team-a", "ir", "cpu=1,memory=1Gi");
  private static final PoolProfile SPARK = profile("team-a", "spark", "cpu=2,memory=4Gi");

  private static Planner planner(PoolPolicy policy) {
    return new Planner(
        policy, new LaunchFrequencyForecaster(Duration.ofHours(1)), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static NamespacePlan planOne(PoolPolicy policy, Fixtures.NamespaceBuilder ns) {
    Plan plan = planner(policy).plan(new ClusterSnapshot(List.of(ns.build(policy.footprint()))));
    return plan.namespaces().get(0);
  }

  private static List<String> describe(NamespacePlan plan) {
    List<String> out = new ArrayList<>();
    for (PlanAction a : plan.actions()) {
      if (a instanceof PlanAction.Create c) {
        out.add("create " + c.count() + " " + c.profile().kernelspec() + " " + c.reason());
      } else if (a instanceof PlanAction.Delete d) {
        out.add("delete " + d.memberId() + " " + d.reason());
      }
    }
    return out;
  }

  @Test
  void fillsTheBudgetInRankOrder() {
    // cap: 10% of 100 cpu = 10 cpu; python wants 8, spark 3 x 2 cpu, R 5.
    var ns =
        namespace("team-a")
            .quota("cpu=100,memory=1000Gi", "")
            .launchesLastHour(PY, 8)
            .launchesLastHour(R, 5)
            .launchesLastHour(SPARK, 3);

    NamespacePlan plan = planOne(POLICY, ns);

    assertThat(describe(plan)).containsExactly("create 8 python3 BELOW_TARGET", "create 2 ir BELOW_TARGET");
    assertThat(plan.targets())
        .extracting(t -> t.profile().kernelspec() + "=" + t.desired() + "/" + t.target())
        .containsExactly("python3=8/8", "ir=5/2", "spark=3/0");
    assertThat(plan.eligibility()).isEqualTo(Eligibility.ELIGIBLE);
  }

  @Test
  void poolPlusUsageStaysUnderTheUsageCeiling() {
    // ceiling 95 cpu; 91 used outside the pool leaves 4 cpu although the cap is 10.
    var ns = namespace("team-a").quota("cpu=100", "cpu=91").launchesLastHour(PY, 8);

    assertThat(describe(planOne(POLICY, ns))).containsExactly("create 4 python3 BELOW_TARGET");
  }

  @Test
  void evictsLowestRankedProfileFirstStartingBeforeWarmWhenUsageRises_neverAClaimedOne() {
    var ns =
        namespace("team-a")
            .quota("cpu=100", "cpu=88")
            .launchesLastHour(PY, 4)
            .launchesLastHour(R, 2)
            .member("py-1", PY, WARM, Duration.ofMinutes(30))
            .member("py-2", PY, WARM, Duration.ofMinutes(20))
            .member("r-old", R, WARM, Duration.ofMinutes(50))
            .member("r-new", R, WARM, Duration.ofMinutes(5))
            .member("r-claimed", R, CLAIMED, Duration.ofMinutes(90));
    // outside = 88 + claimed 1 = 89 -> room 6 cpu; python wants 4, R 2 -> fits exactly.
    assertThat(describe(planOne(POLICY, ns))).containsExactly("create 2 python3 BELOW_TARGET");

    // usage rises by 3 cpu: room 3 -> python keeps 3 of its 4, R loses both, oldest first; python
    // loses its starting kernel, not a warm one (a warm kernel serves the next launch at once).
    var pressed =
        namespace("team-a")
            .quota("cpu=100", "cpu=91")
            .launchesLastHour(PY, 4)
            .launchesLastHour(R, 2)
            .member("py-1", PY, WARM, Duration.ofMinutes(30))
            .member("py-2", PY, WARM, Duration.ofMinutes(20))
            .member("py-3", PY, WARM, Duration.ofMinutes(10))
            .member("py-4", PY, STARTING, Duration.ofMinutes(1))
            .member("r-old", R, WARM, Duration.ofMinutes(50))
            .member("r-new", R, WARM, Duration.ofMinutes(5))
            .member("r-claimed", R, CLAIMED, Duration.ofMinutes(90));

    assertThat(describe(planOne(POLICY, pressed)))
        .containsExactly(
            "delete r-old QUOTA_PRESSURE",
            "delete r-new QUOTA_PRESSURE",
            "delete py-4 QUOTA_PRESSURE");
  }

  @Test
  void theTopProfileKeepsItsKernelAtALowerRateThanTheOthers() {
    var ns = namespace("team-a").quota("cpu=100", "").launchesLastHour(PY, 4).launchesLastHour(R, 3);
    PoolSizing marginal = new PoolSizing.MarginalValue(Duration.ofSeconds(90), 3);

    // python3 (4/h) is top and passes 2/h; ir (3/h) misses 5/h. A second python3 kernel would add
    // 4 * (B(1) - B(2)) = 0.35 warm launches an hour at a load of 0.1: not worth 3.
    PoolPolicy policy = POLICY.withDemand(new DemandRules(Duration.ofHours(1), 5, 2, marginal, QuietRefill.NONE, false));
    assertThat(describe(planOne(policy, ns))).containsExactly("create 1 python3 BELOW_TARGET");

    PoolPolicy everyProfile = POLICY.withDemand(new DemandRules(Duration.ofHours(1), 0, 0, marginal, QuietRefill.NONE, false));
    assertThat(describe(planOne(everyProfile, ns)))
        .containsExactly("create 1 python3 BELOW_TARGET", "create 1 ir BELOW_TARGET");
  }

  @Test
  void aQuietProfileIsRefilledAWhileAfterItsLastLaunchABusyOneAtOnce() {
    QuietRefill quiet = new QuietRefill(Duration.ofMinutes(5), 2);
    PoolPolicy policy = POLICY.withDemand(
        new DemandRules(Duration.ofHours(1), 0, 0, new PoolSizing.MarginalValue(Duration.ofSeconds(90), 3), quiet, false));

    // python3: 1 launch in the last hour, a minute ago, below 2/h: waits. ir: 3 an hour, at once.
    var justLaunched = namespace("team-a").quota("cpu=100", "").launchedAgo(PY, Duration.ofMinutes(1)).launchesLastHour(R, 3);
    assertThat(describe(planOne(policy, justLaunched))).containsExactly("create 1 ir BELOW_TARGET");

    var fiveMinutesOn = namespace("team-a").quota("cpu=100", "").launchedAgo(PY, Duration.ofMinutes(6)).launchesLastHour(R, 3);
    assertThat(describe(planOne(policy, fiveMinutesOn)))
        .containsExactly("create 1 ir BELOW_TARGET", "create 1 python3 BELOW_TARGET");

    assertThat(quiet.waits(1, 0, 299_999)).isTrue();
    assertThat(quiet.waits(1, 0, 300_000)).isFalse();
    assertThat(quiet.waits(2, 0, 1)).isFalse();
    assertThat(QuietRefill.NONE.waits(0, 0, 0)).isFalse();
  }

  @Test
  void replacesMembersOlderThanTheTtl() {
    var ns =
        namespace("team-a")
            .quota("cpu=100", "")
            .launchesLastHour(PY, 2)
            .member("py-stale", PY, WARM, Duration.ofHours(5))
            .member("py-fresh", PY, WARM, Duration.ofHours(1));

    assertThat(describe(planOne(POLICY, ns)))
        .containsExactly("delete py-stale TTL_EXPIRED", "create 1 python3 BELOW_TARGET");
  }

  @Test
  void replacementWaitsWhileTheExpiredMemberIsStillChargedAtTheCeiling() {
    // room 2 cpu, two members fill it: the replacement must wait for the old pod to be gone.
    var ns =
        namespace("team-a")
            .quota("cpu=100", "cpu=93")
            .launchesLastHour(PY, 2)
            .member("py-stale", PY, WARM, Duration.ofHours(5))
            .member("py-fresh", PY, WARM, Duration.ofHours(1));

    NamespacePlan first = planOne(POLICY, ns);
    assertThat(describe(first)).containsExactly("delete py-stale TTL_EXPIRED");

    var whileTerminating =
        namespace("team-a")
            .quota("cpu=100", "cpu=93")
            .launchesLastHour(PY, 2)
            .member("py-stale", PY, TERMINATING, Duration.ofHours(5))
            .member("py-fresh", PY, WARM, Duration.ofHours(1));
    assertThat(planOne(POLICY, whileTerminating).actions()).isEmpty();

    var afterDeletion =
        namespace("team-a")
            .quota("cpu=100", "cpu=93")
            .launchesLastHour(PY, 2)
            .member("py-fresh", PY, WARM, Duration.ofHours(1));
    assertThat(describe(planOne(POLICY, afterDeletion))).containsExactly("create 1 python3 BELOW_TARGET");
  }

  @Test
  void deletesMembersStuckStarting() {
    var ns =
        namespace("team-a")
            .quota("cpu=100", "")
            .launchesLastHour(PY, 1)
            .member("py-stuck", PY, STARTING, Duration.ofMinutes(11));

    assertThat(describe(planOne(POLICY, ns)))
        .containsExactly("delete py-stuck START_TIMEOUT", "create 1 python3 BELOW_TARGET");
  }

  @Test
  void drainsANamespaceThatOptsOut_butLeavesClaimedKernelsAlone() {
    var ns =
        namespace("team-a")
            .label("kernelpool.dev/pool", "disabled")
            .quota("cpu=100", "")
            .launchesLastHour(PY, 3)
            .member("py-1", PY, WARM, Duration.ofMinutes(3))
            .member("py-2", PY, STARTING, Duration.ofMinutes(1))
            .member("py-3", PY, CLAIMED, Duration.ofMinutes(10))
            .member("py-4", PY, TERMINATING, Duration.ofMinutes(10));

    NamespacePlan plan = planOne(POLICY, ns);

    assertThat(plan.eligibility()).isEqualTo(Eligibility.OPTED_OUT);
    assertThat(describe(plan)).containsExactly("delete py-1 NOT_ELIGIBLE", "delete py-2 NOT_ELIGIBLE");
  }

  @Test
  void optInRuleRequiresTheLabel() {
    PoolPolicy optIn =
        POLICY.withEligibility(
            new EligibilityRules(
                Optional.empty(),
                Optional.of(LabelRule.parse("kernelpool.dev/pool=enabled")),
                Duration.ofDays(7),
                1));
    var without = namespace("team-a").quota("cpu=100", "").launchesLastHour(PY, 1);
    var with =
        namespace("team-a")
            .label("kernelpool.dev/pool", "enabled")
            .quota("cpu=100", "")
            .launchesLastHour(PY, 1);

    assertThat(planOne(optIn, without).eligibility()).isEqualTo(Eligibility.NOT_OPTED_IN);
    assertThat(describe(planOne(optIn, with))).containsExactly("create 1 python3 BELOW_TARGET");
  }

  @Test
  void namespaceWithoutQuotaGetsNoPoolUnlessADefaultBudgetIsConfigured() {
    var ns = namespace("team-a").launchesLastHour(PY, 5);
    assertThat(planOne(POLICY, ns).eligibility()).isEqualTo(Eligibility.NO_QUOTA);
    assertThat(planOne(POLICY, ns).actions()).isEmpty();

    PoolPolicy withDefault =
        POLICY.withSizing(new SizingRules(0.1, 0.95, Optional.of(Resources.parse("cpu=3"))));
    assertThat(describe(planOne(withDefault, ns))).containsExactly("create 3 python3 BELOW_TARGET");
  }

  @Test
  void namespaceWithoutRecentLaunchesGetsNoPool() {
    var ns = namespace("team-a").quota("cpu=100", "");

    assertThat(planOne(POLICY, ns).eligibility()).isEqualTo(Eligibility.NO_RECENT_LAUNCHES);
  }

  @Test
  void smallQuotaNamespaceGetsOneKernelWhenDemandIsHigh() {
    // 10% of 5 cpu is 0.5 cpu: less than one 1-cpu kernel.
    var busy = namespace("team-a").quota("cpu=5", "cpu=2").launchesLastHour(PY, 3);
    var quiet = namespace("team-a").quota("cpu=5", "cpu=2").launchesLastHour(PY, 0).launchesLastHour(R, 0);

    assertThat(describe(planOne(POLICY, busy))).containsExactly("create 1 python3 BELOW_TARGET");
    assertThat(planOne(POLICY.withSmallQuota(new SmallQuotaRule(false, 1)), busy).actions()).isEmpty();
    assertThat(planOne(POLICY.withSmallQuota(new SmallQuotaRule(true, 5)), busy).eligibility())
        .isEqualTo(Eligibility.NO_HEADROOM);
    assertThat(planOne(POLICY, quiet).actions()).isEmpty();
  }

  @Test
  void smallQuotaKernelStillObeysTheUsageCeiling() {
    // ceiling 4.75 cpu, 4 used outside: a 1-cpu kernel would break it.
    var ns = namespace("team-a").quota("cpu=5", "cpu=4").launchesLastHour(PY, 3);

    NamespacePlan plan = planOne(POLICY, ns);

    assertThat(plan.actions()).isEmpty();
    assertThat(plan.eligibility()).isEqualTo(Eligibility.NO_HEADROOM);
  }

  @Test
  void smallQuotaKernelIsKeptOnceItExists() {
    var ns =
        namespace("team-a")
            .quota("cpu=5", "cpu=2")
            .launchesLastHour(PY, 3)
            .member("py-1", PY, WARM, Duration.ofMinutes(10));

    assertThat(planOne(POLICY, ns).actions()).isEmpty();
  }

  @Test
  void profileRulesSetMinimumsAndMaximums() {
    PoolPolicy bounded =
        POLICY.withProfiles(
            List.of(new ProfileRule("python3", "*", 0, 2), new ProfileRule("spark", "team-a", 1, 5)));
    var ns =
        namespace("team-a")
            .quota("cpu=100", "")
            .launchesLastHour(PY, 8)
            .launchedAgo(SPARK, Duration.ofDays(2))
            .launchesLastHour(R, 1);

    assertThat(describe(planOne(bounded, ns)))
        .containsExactly(
            "create 2 python3 BELOW_TARGET", "create 1 ir BELOW_TARGET", "create 1 spark BELOW_TARGET");
  }

  @Test
  void declaredProfilesArePooledBeforeAnyLaunch() {
    PoolPolicy bounded = POLICY.withProfiles(List.of(new ProfileRule("python3", "*", 2, 4)));
    NamespaceState base = namespace("team-a").quota("cpu=100", "").build(FULL);
    NamespaceState declared =
        new NamespaceState(
            base.name(), base.labels(), base.quota(), base.members(), base.history(), List.of(PY, PY));

    NamespacePlan plan =
        planner(bounded).plan(new ClusterSnapshot(List.of(declared))).namespaces().get(0);

    assertThat(plan.eligibility()).isEqualTo(Eligibility.ELIGIBLE);
    assertThat(describe(plan)).containsExactly("create 2 python3 BELOW_TARGET");
    assertThat(planOne(bounded, namespace("team-a").quota("cpu=100", "")).eligibility())
        .isEqualTo(Eligibility.NO_RECENT_LAUNCHES);
  }

  @Test
  void minimumsAreServedBeforeDemandOfHigherRankedProfiles() {
    PoolPolicy bounded = POLICY.withProfiles(List.of(new ProfileRule("spark", "*", 2, 2)));
    // cap 10 cpu: spark's minimum (2 x 2 cpu) first, python gets the remaining 6.
    var ns =
        namespace("team-a").quota("cpu=100", "").launchesLastHour(PY, 20).launchesLastHour(SPARK, 1);

    assertThat(describe(planOne(bounded, ns)))
        .containsExactly("create 6 python3 BELOW_TARGET", "create 2 spark BELOW_TARGET");
  }

  @Test
  void membersAboveDemandAreRemovedOldestFirst() {
    var ns =
        namespace("team-a")
            .quota("cpu=100", "")
            .launchesLastHour(PY, 1)
            .member("py-a", PY, WARM, Duration.ofMinutes(30))
            .member("py-b", PY, WARM, Duration.ofMinutes(40))
            .member("py-c", PY, WARM, Duration.ofMinutes(20));

    assertThat(describe(planOne(POLICY, ns)))
        .containsExactly("delete py-b OVER_TARGET", "delete py-a OVER_TARGET");
  }

  @Test
  void smallFootprintLetsMoreKernelsFitTheSameQuota() {
    var ns = namespace("team-a").quota("cpu=20,memory=40Gi", "").launchesLastHour(SPARK, 10);

    assertThat(describe(planOne(POLICY, ns))).containsExactly("create 1 spark BELOW_TARGET");
    assertThat(describe(planOne(POLICY.withFootprint(FootprintRule.DEFAULTS), ns)))
        .containsExactly("create 10 spark BELOW_TARGET");
  }

  @Test
  void planIsEmptyAfterApplyingIt() {
    var ns =
        namespace("team-a")
            .quota("cpu=100", "cpu=88")
            .launchesLastHour(PY, 4)
            .launchesLastHour(R, 3)
            .member("py-stale", PY, WARM, Duration.ofHours(6))
            .member("r-1", R, WARM, Duration.ofMinutes(3));
    ClusterSnapshot snapshot = new ClusterSnapshot(List.of(ns.build(FULL)));
    Planner planner = planner(POLICY);

    Plan first = planner.plan(snapshot);
    Plan second = planner.plan(Fixtures.apply(snapshot, first, FULL, NOW));

    assertThat(first.isEmpty()).isFalse();
    assertThat(second.actions()).isEmpty();
  }

  @Test
  void planDoesNotDependOnInputOrder() {
    List<NamespaceState> namespaces = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      PoolProfile p = profile("ns-" + i, "python3", "cpu=1");
      PoolProfile q = profile("ns-" + i, "ir", "cpu=1");
      namespaces.add(
          namespace("ns-" + i)
              .quota("cpu=50", "cpu=" + i)
              .launchesLastHour(p, 3)
              .launchesLastHour(q, 3)
              .member("m-" + i + "-1", p, WARM, Duration.ofMinutes(5))
              .member("m-" + i + "-2", q, WARM, Duration.ofMinutes(5))
              .member("m-" + i + "-3", q, WARM, Duration.ofMinutes(5))
              .build(FULL));
    }
    Plan expected = planner(POLICY).plan(new ClusterSnapshot(namespaces));
    Random random = new Random(7);
    for (int round = 0; round < 5; round++) {
      List<NamespaceState> shuffled = new ArrayList<>();
      for (NamespaceState ns : namespaces) {
        List<dev.kernelpool.core.snapshot.PoolMember> members = new ArrayList<>(ns.members());
        Collections.shuffle(members, random);
        shuffled.add(new NamespaceState(ns.name(), ns.labels(), ns.quota(), members, ns.history()));
      }
      Collections.shuffle(shuffled, random);
      assertThat(planner(POLICY).plan(new ClusterSnapshot(shuffled))).isEqualTo(expected);
    }
  }
}
