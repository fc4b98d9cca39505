package dev.kernelpool.core.sim.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Comparator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TraceGeneratorTest {
  @ParameterizedTest
  @EnumSource(value = Scenario.class, names = {"DIURNAL", "CLASS", "NEAR_QUOTA", "WEEKLY"})
  void sameSeedSameTraceInTimeOrderWithQuotas(Scenario s) {
    Scenario.Generated a = new TraceGenerator(7).generate(s);
    Scenario.Generated b = new TraceGenerator(7).generate(s);

    assertThat(a).isEqualTo(b);
    assertThat(a.launches()).isNotEmpty().isSortedAccordingTo(Comparator.comparingLong(Launch::timestampMs));
    assertThat(a.launches()).allSatisfy(l -> assertThat(a.quotas()).containsKey(l.namespace()));
    assertThat(new TraceGenerator(8).generate(s).launches()).isNotEqualTo(a.launches());
  }

  @Test
  void theClassOpensThreeHundredNotebooksWithinTwoMinutes() {
    Scenario.Generated g = new TraceGenerator(1).generate(Scenario.CLASS);
    long tenOClock = TraceGenerator.START.toEpochMilli() + 10 * 3_600_000L;

    long inBurst = g.launches().stream().filter(l -> l.timestampMs() >= tenOClock && l.timestampMs() < tenOClock + 120_000).count();
    assertThat(inBurst).isBetween(300L, 310L);
  }

  @Test
  void weekendsAreQuieterThanWeekdays() {
    Scenario.Generated g = new TraceGenerator(1).generate(Scenario.WEEKLY);
    long day = 24 * 3_600_000L;
    long start = TraceGenerator.START.toEpochMilli();
    long monday = g.launches().stream().filter(l -> l.timestampMs() < start + day).count();
    long saturday = g.launches().stream().filter(l -> l.timestampMs() >= start + 5 * day && l.timestampMs() < start + 6 * day).count();

    assertThat(saturday).isLessThan(monday / 3);
  }

  @Test
  void aLargerPlatformHasProportionallyMoreLaunchesAndQuota() {
    Scenario.Generated one = new TraceGenerator(1).generate(Scenario.DIURNAL);
    Scenario.Generated ten = new TraceGenerator(1, 10).generate(Scenario.DIURNAL);

    assertThat((double) ten.launches().size() / one.launches().size()).isBetween(9.0, 11.0);
    assertThat(ten.quotas().get("ns-0000")).isEqualTo(one.quotas().get("ns-0000").times(10));
    assertThat(new TraceGenerator(1, 3).generate(Scenario.CLASS).launches()).hasSizeGreaterThan(900 * 5);
    assertThatThrownBy(() -> new TraceGenerator(1, 0)).hasMessageContaining("scale must be 1..1000");
  }

  @Test
  void unknownScenarioListsTheKnownOnes() {
    assertThatThrownBy(() -> Scenario.byId("rush")).hasMessageContaining("unknown scenario 'rush'").hasMessageContaining("diurnal, class");
  }
}
