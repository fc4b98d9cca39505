package dev.kernelpool.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kernelpool.core.forecast.LaunchFrequencyForecaster;
import dev.kernelpool.core.plan.Plan;
import dev.kernelpool.core.plan.PlanAction;
import dev.kernelpool.core.plan.Planner;
import dev.kernelpool.core.plan.PoolPolicy;
import dev.kernelpool.core.resource.Resources;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ClusterSnapshotBuilderTest {
  private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

  @Test
  void quotaUsageIsTheOtherUsagePlusWhatThePoolsMembersHold() {
    ClusterSnapshot snapshot = ClusterSnapshot.builder(NOW)
        .namespace("team-a", ns -> ns
            .quota("cpu=20,memory=64Gi,pods=100").otherUsage("cpu=4,memory=8Gi")
            .warm("python3", "cpu=1,memory=2Gi", Duration.ofMinutes(30))
            .starting("python3", "cpu=1,memory=2Gi", Duration.ofSeconds(20)))
        .build();

    NamespaceState ns = snapshot.namespaces().get(0);
    // two members at the default small footprint (100m, 256Mi, one pod each)
    assertThat(ns.quota().orElseThrow().used()).isEqualTo(Resources.parse("cpu=4200m,memory=8704Mi,pods=2"));
    assertThat(ns.members()).extracting(PoolMember::state).containsExactly(MemberState.WARM, MemberState.STARTING);
    assertThat(ns.members().get(0).createdAt()).isEqualTo(NOW.minus(Duration.ofMinutes(30)));
  }

  @Test
  void launchesEveryIntervalCoverTheSpanAndThePlannerPoolsForThem() {
    ClusterSnapshot snapshot = ClusterSnapshot.builder(NOW)
        .namespace("team-a", ns -> ns
            .quota("cpu=20,memory=64Gi,pods=100")
            .launchesEvery("python3", "cpu=1,memory=2Gi", Duration.ofMinutes(10), Duration.ofHours(8)))
        .namespace("no-quota", ns -> ns.launchesEvery("python3", "cpu=1,memory=2Gi", Duration.ofMinutes(10), Duration.ofHours(1)))
        .build();

    NamespaceState a = snapshot.namespaces().get(0);
    PoolProfile python = PoolProfile.of("team-a", "python3", "python3", Resources.parse("cpu=1,memory=2Gi"));
    assertThat(a.history().of(python).size()).isEqualTo(48);
    assertThat(snapshot.namespaces().get(1).quota()).isEmpty();

    Plan plan = new Planner(PoolPolicy.DEFAULTS, new LaunchFrequencyForecaster(Duration.ofDays(7)), Clock.fixed(NOW, ZoneOffset.UTC))
        .plan(snapshot, NOW);
    assertThat(plan.namespaces()).filteredOn(n -> n.namespace().equals("team-a")).singleElement()
        .satisfies(n -> assertThat(n.actions()).anyMatch(x -> x instanceof PlanAction.Create c && c.profile().equals(python)));
  }

  @Test
  void badInputFailsWithTheReason() {
    assertThatThrownBy(() -> ClusterSnapshot.builder(NOW).namespace("a", ns -> ns.launched(ns.profile("p", "cpu=1"), Duration.ofMinutes(-1))))
        .hasMessageContaining("in the future");
    assertThatThrownBy(() -> ClusterSnapshot.builder(NOW).namespace("a", ns -> ns.launchesEvery("p", "cpu=1", Duration.ZERO, Duration.ofHours(1))))
        .hasMessageContaining("interval must be positive");
    assertThatThrownBy(() -> ClusterSnapshot.builder(NOW).namespace("a", ns -> ns.quota("cpu=lots")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
