package dev.kernelpool.core.plan;

import static dev.kernelpool.core.plan.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kernelpool.core.eligibility.EligibilityRules;
import dev.kernelpool.core.eligibility.LabelRule;
import dev.kernelpool.core.forecast.LaunchFrequencyForecaster;
import dev.kernelpool.core.quota.FootprintRule;
import dev.kernelpool.core.quota.QuotaBudget;
import dev.kernelpool.core.quota.SizingRules;
import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.ClusterSnapshot;
import dev.kernelpool.core.snapshot.LaunchHistory;
import dev.kernelpool.core.snapshot.LaunchSeries;
import dev.kernelpool.core.snapshot.MemberState;
import dev.kernelpool.core.snapshot.NamespaceState;
import dev.kernelpool.core.snapshot.PoolMember;
import dev.kernelpool.core.snapshot.PoolProfile;
import dev.kernelpool.core.snapshot.Quota;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invariants of the planner over random snapshots and policies, each case reproducible from its
 * seed.
 */
class PlannerPropertiesTest {
  private static final String[] SPECS = {"python3", "ir", "spark", "scala", "julia"};

  static LongStream seeds() {
    return LongStream.range(0, 400);
  }

  /** A random policy and snapshot for one seed. */
  private record Case(PoolPolicy policy, ClusterSnapshot snapshot) {}

  private static Case randomCase(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    FootprintRule footprint =
        rnd.nextBoolean() ? FootprintRule.DEFAULTS : new FootprintRule(Resources.none());
    double poolFraction = 0.05 + rnd.nextInt(20) / 100.0;
    Optional<Resources> noQuota =
        rnd.nextBoolean() ? Optional.empty() : Optional.of(Resources.parse("cpu=" + rnd.nextInt(1, 6)));
    List<ProfileRule> rules = new ArrayList<>();
    if (rnd.nextBoolean()) {
      int min = rnd.nextInt(3);
      rules.add(new ProfileRule(SPECS[rnd.nextInt(SPECS.length)], "*", min, min + rnd.nextInt(4)));
    }
    PoolPolicy policy =
        PoolPolicy.DEFAULTS
            .withFootprint(footprint)
            .withSizing(new SizingRules(poolFraction, 0.95, noQuota))
            .withDemand(new DemandRules(Duration.ofMinutes(5 + rnd.nextInt(60)), rnd.nextBoolean() ? 0 : 0.5))
            .withSmallQuota(new SmallQuotaRule(rnd.nextBoolean(), rnd.nextInt(3)))
            .withEligibility(
                new EligibilityRules(
                    Optional.of(LabelRule.parse("pool=off")), Optional.empty(), Duration.ofDays(1), 1))
            .withProfiles(rules);

    List<NamespaceState> namespaces = new ArrayList<>();
    int nsCount = rnd.nextInt(1, 5);
    int memberIds = 0;
    for (int n = 0; n < nsCount; n++) {
      String name = "ns-" + n;
      List<PoolProfile> profiles = new ArrayList<>();
      for (int p = rnd.nextInt(1, 5); p > 0; p--) {
        String spec = SPECS[rnd.nextInt(SPECS.length)];
        String res = "cpu=" + (100 * rnd.nextInt(1, 40)) + "m,memory=" + rnd.nextInt(1, 9) + "Gi";
        if (rnd.nextInt(5) == 0) {
          res += ",nvidia.com/gpu=1";
        }
        profiles.add(PoolProfile.of(name, spec, "img-" + rnd.nextInt(2), Resources.parse(res)));
      }
      Map<PoolProfile, LaunchSeries> history = new HashMap<>();
      for (PoolProfile p : profiles) {
        long[] t = new long[rnd.nextInt(0, 30)];
        for (int i = 0; i < t.length; i++) {
          t[i] = NOW.toEpochMilli() - rnd.nextLong(1, Duration.ofDays(2).toMillis());
        }
        history.merge(p, LaunchSeries.ofEpochMillis(t), (a, b) -> a);
      }
      List<PoolMember> members = new ArrayList<>();
      Resources charged = Resources.none();
      for (int m = rnd.nextInt(0, 12); m > 0; m--) {
        PoolProfile p = profiles.get(rnd.nextInt(profiles.size()));
        MemberState state = MemberState.values()[rnd.nextInt(MemberState.values().length)];
        Duration age = Duration.ofMinutes(rnd.nextInt(0, 400));
        members.add(new PoolMember("m" + memberIds++, p, state, NOW.minus(age)));
        charged =
            charged.plus(
                state == MemberState.CLAIMED ? p.resources() : footprint.footprintOf(p));
      }
      Optional<Quota> quota = Optional.empty();
      if (rnd.nextInt(5) > 0) {
        Resources hard =
            Resources.parse(
                "cpu=" + rnd.nextInt(1, 200) + ",memory=" + rnd.nextInt(1, 500) + "Gi,pods="
                    + rnd.nextInt(1, 100) + (rnd.nextInt(4) == 0 ? ",nvidia.com/gpu=" + rnd.nextInt(0, 4) : ""));
        Resources outside = hard.map((k, v) -> v / 100 * rnd.nextInt(0, 110));
        quota = Optional.of(new Quota(hard, outside.plus(charged)));
      }
      Map<String, String> labels = rnd.nextInt(6) == 0 ? Map.of("pool", "off") : Map.of();
      namespaces.add(new NamespaceState(name, labels, quota, members, new LaunchHistory(history)));
    }
    return new Case(policy, new ClusterSnapshot(namespaces));
  }

  private static Planner planner(PoolPolicy policy) {
    return new Planner(
        policy, new LaunchFrequencyForecaster(Duration.ofHours(6)), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void neverDeletesClaimedOrTerminatingMembersNorOneMemberTwice(long seed) {
    Case c = randomCase(seed);
    Plan plan = planner(c.policy()).plan(c.snapshot());

    Map<String, MemberState> states = new HashMap<>();
    c.snapshot().namespaces().forEach(ns -> ns.members().forEach(m -> states.put(m.id(), m.state())));
    Set<String> deleted = new HashSet<>();
    for (PlanAction a : plan.actions()) {
      if (a instanceof PlanAction.Delete d) {
        assertThat(states.get(d.memberId())).isIn(MemberState.STARTING, MemberState.WARM);
        assertThat(deleted.add(d.memberId())).as("deleted twice: %s", d.memberId()).isTrue();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void livePoolAfterThePlanStaysWithinBothCaps(long seed) {
    Case c = randomCase(seed);
    Plan plan = planner(c.policy()).plan(c.snapshot());
    ClusterSnapshot after = Fixtures.apply(c.snapshot(), plan, c.policy().footprint(), NOW);
    QuotaBudget budgets = new QuotaBudget(c.policy().sizing());
    FootprintRule footprint = c.policy().footprint();

    for (NamespaceState ns : after.namespaces()) {
      Resources live = Resources.none();
      Resources charged = Resources.none();
      int liveCount = 0;
      for (PoolMember m : ns.members()) {
        if (m.state().isPoolCharged()) {
          charged = charged.plus(footprint.footprintOf(m.profile()));
        }
        if (m.state().isLive()) {
          live = live.plus(footprint.footprintOf(m.profile()));
          liveCount++;
        }
      }
      NamespaceState before = find(c.snapshot(), ns.name());
      Resources created = Resources.none();
      for (PlanAction a : planOf(plan, ns.name()).actions()) {
        if (a instanceof PlanAction.Create create) {
          created = created.plus(footprint.footprintOf(create.profile()).times(create.count()));
        }
      }
      var budget = budgets.of(ns.quota(), charged);
      if (budget.isEmpty()) {
        assertThat(liveCount).as("namespace without budget keeps no pool").isZero();
        continue;
      }
      // 95% rule: live pool plus usage outside it, terminating members excluded.
      assertThat(budget.get().usageRoom().fits(live)).as("usage ceiling in %s", ns.name()).isTrue();
      // 10% rule, except the one kernel the small-quota rule may grant.
      assertThat(budget.get().poolCap().fits(live) || liveCount == 1)
          .as("pool cap in %s", ns.name())
          .isTrue();
      if (ns.quota().isPresent()) {
        // Creating never breaks the ceiling on what it adds, counting members still being deleted.
        Resources ceiling = budgets.ceilingOf(ns.quota().get().hard());
        Resources used = ns.quota().get().used();
        for (String name : created.names()) {
          if (created.milli(name) > 0 && ceiling.has(name)) {
            assertThat(used.milli(name))
                .as("%s charged after creations in %s (before: %s)", name, ns.name(), before.quota())
                .isLessThanOrEqualTo(ceiling.milli(name));
          }
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void applyingAPlanAndPlanningAgainYieldsAnEmptyPlan(long seed) {
    Case c = randomCase(seed);
    Planner planner = planner(c.policy());
    Plan first = planner.plan(c.snapshot());

    Plan second = planner.plan(Fixtures.apply(c.snapshot(), first, c.policy().footprint(), NOW));

    assertThat(second.actions()).as("second plan for seed %d", seed).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void planIsDeterministicWhateverTheInputOrder(long seed) {
    Case c = randomCase(seed);
    Plan expected = planner(c.policy()).plan(c.snapshot());
    List<NamespaceState> shuffled = new ArrayList<>();
    java.util.Random order = new java.util.Random(seed);
    for (NamespaceState ns : c.snapshot().namespaces()) {
      List<PoolMember> members = new ArrayList<>(ns.members());
      Collections.shuffle(members, order);
      shuffled.add(new NamespaceState(ns.name(), ns.labels(), ns.quota(), members, ns.history()));
    }
    Collections.shuffle(shuffled, order);

    assertThat(planner(c.policy()).plan(new ClusterSnapshot(shuffled))).isEqualTo(expected);
    assertThat(planner(c.policy()).plan(c.snapshot())).isEqualTo(expected);
  }

  private static NamespacePlan planOf(Plan plan, String name) {
    return plan.namespaces().stream().filter(n -> n.namespace().equals(name)).findFirst().orElseThrow();
  }

  private static NamespaceState find(ClusterSnapshot s, String name) {
    return s.namespaces().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
  }
}
