package com.example.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.kernelpool.core.forecast.DemandForecaster;
import dev.kernelpool.core.forecast.LaunchFrequencyForecaster;
import dev.kernelpool.core.plan.NamespacePlan;
import dev.kernelpool.core.plan.PlanAction;
import dev.kernelpool.core.plan.Planner;
import dev.kernelpool.core.plan.PoolPolicy;
import dev.kernelpool.core.snapshot.ClusterSnapshot;
import dev.kernelpool.core.snapshot.LaunchSeries;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The custom forecaster alone, and plugged into pool-core's planner, on snapshots built in the test. */
class WorkdayForecasterTest {
  private static final Instant MONDAY_10 = Instant.parse("2026-03-02T10:00:00Z");
  private static final Instant MONDAY_22 = Instant.parse("2026-03-02T22:00:00Z");

  private static WorkdayForecaster workday(DemandForecaster inner) {
    return new WorkdayForecaster(inner, ZoneOffset.UTC, LocalTime.of(8, 0), LocalTime.of(18, 0));
  }

  /** A team launching python3 every 10 minutes for the last 8 hours, in a namespace with room. */
  private static ClusterSnapshot busyTeam(Instant now) {
    return ClusterSnapshot.builder(now)
        .namespace("team-a", ns -> ns
            .quota("cpu=40,memory=160Gi,pods=200").otherUsage("cpu=6,memory=24Gi")
            .launchesEvery("python3", "cpu=1,memory=4Gi", Duration.ofMinutes(10), Duration.ofHours(8)))
        .build();
  }

  private static NamespacePlan plan(DemandForecaster forecaster, Instant now) {
    return new Planner(PoolPolicy.DEFAULTS, forecaster, Clock.fixed(now, ZoneOffset.UTC)).plan(busyTeam(now), now).namespaces().get(0);
  }

  private static long creates(NamespacePlan plan) {
    return plan.actions().stream().filter(PlanAction.Create.class::isInstance).mapToLong(a -> ((PlanAction.Create) a).count()).sum();
  }

  @Test
  void duringWorkingHoursThePlannerPoolsAsTheWrappedForecasterSays() {
    LaunchFrequencyForecaster frequency = new LaunchFrequencyForecaster(Duration.ofDays(7));
    assertThat(creates(plan(workday(frequency), MONDAY_10))).isPositive().isEqualTo(creates(plan(frequency, MONDAY_10)));
  }

  @Test
  void atNightThePlannerKeepsNoPool() {
    assertThat(creates(plan(new LaunchFrequencyForecaster(Duration.ofDays(7)), MONDAY_22))).isPositive();
    assertThat(creates(plan(workday(new LaunchFrequencyForecaster(Duration.ofDays(7))), MONDAY_22))).isZero();
  }

  /** The wrapped forecaster is a real seam (any DemandForecaster): outside working hours it is not even asked. */
  @Test
  void outsideWorkingHoursTheWrappedForecasterIsNotConsulted() {
    DemandForecaster inner = mock(DemandForecaster.class);
    assertThat(workday(inner).expectedLaunches(LaunchSeries.empty(), Instant.parse("2026-03-07T11:00:00Z"), Duration.ofMinutes(15)))
        .as("a Saturday").isZero();
    verifyNoInteractions(inner);

    when(inner.expectedLaunches(any(), any(), any())).thenReturn(2.5);
    // 17:50 with a 15-minute horizon still reaches into working time
    assertThat(workday(inner).expectedLaunches(LaunchSeries.empty(), Instant.parse("2026-03-02T17:50:00Z"), Duration.ofMinutes(15)))
        .isEqualTo(2.5);
  }

  @Test
  void workingHoursMustOpenBeforeTheyClose() {
    assertThatThrownBy(() -> new WorkdayForecaster(new LaunchFrequencyForecaster(Duration.ofDays(7)), ZoneOffset.UTC,
        LocalTime.of(18, 0), LocalTime.of(8, 0))).hasMessageContaining("open before they close");
  }
}
