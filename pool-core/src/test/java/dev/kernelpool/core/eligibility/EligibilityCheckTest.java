package dev.kernelpool.core.eligibility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.LaunchHistory;
import dev.kernelpool.core.snapshot.LaunchSeries;
import dev.kernelpool.core.snapshot.NamespaceState;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EligibilityCheckTest {
  private static final Instant NOW = Instant.parse("2026-01-10T00:00:00Z");
  private static final PoolProfile P = PoolProfile.of("ns", "python3", "img", Resources.parse("cpu=1"));

  private static NamespaceState ns(Map<String, String> labels, Duration... launchesAgo) {
    long[] t = new long[launchesAgo.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = NOW.minus(launchesAgo[i]).toEpochMilli();
    }
    return new NamespaceState(
        "ns", labels, Optional.empty(), List.of(), new LaunchHistory(Map.of(P, LaunchSeries.ofEpochMillis(t))));
  }

  @Test
  void optOutWinsOverEverything() {
    var check = new EligibilityCheck(EligibilityRules.DEFAULTS);

    assertThat(check.check(ns(Map.of("kernelpool.dev/pool", "disabled"), Duration.ofHours(1)), true, NOW))
        .isEqualTo(Eligibility.OPTED_OUT);
    assertThat(check.check(ns(Map.of("kernelpool.dev/pool", "other"), Duration.ofHours(1)), true, NOW))
        .isEqualTo(Eligibility.ELIGIBLE);
  }

  @Test
  void optInWithoutValueMatchesAnyValue() {
    var rules =
        new EligibilityRules(Optional.empty(), Optional.of(LabelRule.parse("team")), Duration.ofDays(7), 1);
    var check = new EligibilityCheck(rules);

    assertThat(check.check(ns(Map.of("team", "x"), Duration.ofHours(1)), true, NOW))
        .isEqualTo(Eligibility.ELIGIBLE);
    assertThat(check.check(ns(Map.of(), Duration.ofHours(1)), true, NOW))
        .isEqualTo(Eligibility.NOT_OPTED_IN);
  }

  @Test
  void needsABudgetAndRecentLaunches() {
    var rules = new EligibilityRules(Optional.empty(), Optional.empty(), Duration.ofDays(7), 2);
    var check = new EligibilityCheck(rules);

    assertThat(check.check(ns(Map.of(), Duration.ofHours(1), Duration.ofDays(2)), false, NOW))
        .isEqualTo(Eligibility.NO_QUOTA);
    assertThat(check.check(ns(Map.of(), Duration.ofHours(1), Duration.ofDays(8)), true, NOW))
        .isEqualTo(Eligibility.NO_RECENT_LAUNCHES);
    assertThat(check.check(ns(Map.of(), Duration.ofHours(1), Duration.ofDays(2)), true, NOW))
        .isEqualTo(Eligibility.ELIGIBLE);
  }

  @Test
  void badRulesFailFastNamingTheKey() {
    assertThatThrownBy(() -> new EligibilityRules(Optional.empty(), Optional.empty(), Duration.ZERO, 1))
        .hasMessageContaining("eligibility.launchWindow");
    assertThatThrownBy(() -> new EligibilityRules(Optional.empty(), Optional.empty(), Duration.ofDays(1), -1))
        .hasMessageContaining("eligibility.minRecentLaunches");
    assertThatThrownBy(() -> LabelRule.parse("=x")).hasMessageContaining("invalid label rule");
  }
}
