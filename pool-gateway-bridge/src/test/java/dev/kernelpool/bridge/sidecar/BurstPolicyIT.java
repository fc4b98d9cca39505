package dev.kernelpool.bridge.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kernelpool.bridge.bench.GatewayStandIn;
import dev.kernelpool.bridge.config.SidecarConfig;
import dev.kernelpool.core.snapshot.MemberState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The burst rule run by the sidecar from its configuration, with real kernels on the local backend:
 * a class of four launched at 10:00 on two weekdays is pre-warmed on the third, past the pool's cap
 * of two, shortly before 10:00 (not when the history is first seen), served warm, and given back
 * once it is over. The sidecar is restarted before the third day: what it learnt comes back from
 * its launch history file. The sidecar's clock is moved between the days (the kernels run in real
 * time).
 */
class BurstPolicyIT {
  /** Monday 23 November 2026, 10:00 UTC: in the past, so claim deadlines (real time) never look passed. */
  private static final Instant MONDAY_TEN = Instant.parse("2026-11-23T10:00:00Z");
  private static final long DAY = Duration.ofDays(1).toMillis();

  @TempDir Path dir;
  private Sidecar sidecar;
  private GatewayStandIn eg;
  private final MovableClock clock = new MovableClock();

  /** The system clock moved by an offset a test sets: time runs on between the moves. */
  private static final class MovableClock extends Clock {
    private volatile long offsetMillis;

    void showNow(Instant virtual) {
      offsetMillis = virtual.toEpochMilli() - System.currentTimeMillis();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(System.currentTimeMillis() + offsetMillis);
    }
  }

  @BeforeEach
  void gateway() throws Exception {
    eg = new GatewayStandIn();
  }

  @AfterEach
  void stop() {
    eg.close();
    if (sidecar != null) {
      sidecar.close();
    }
  }

  /** Pool kernels starting or warm. */
  private long live() {
    return sidecar.registry().count(MemberState.STARTING) + sidecar.registry().count(MemberState.WARM);
  }

  private void claimAndStop(String kernelId, boolean mustHit) throws Exception {
    SidecarFixture.Answer a = SidecarFixture.claim(sidecar, eg, kernelId, Map.of());
    if (mustHit) {
      assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
    }
    if (a.status() == 200) {
      SidecarFixture.shutdown(eg.await(kernelId, Duration.ofSeconds(30)));
    } else {
      assertThat(a.status()).as(a.body().toString()).isEqualTo(404);
    }
  }

  @Test
  void aClassHistorySeesComingIsWarmedPastThePoolCapJustBeforeItAndGivenBackAfterEvenAcrossARestart() throws Exception {
    String yaml = String.join("\n",
        "http: {port: 0}",
        "token: " + SidecarFixture.TOKEN,
        "claim: {timeout: 5s}",
        "local: {workDir: '" + dir.resolve("work") + "'}",
        "controller: {heartbeat: 1s, resync: 60s, readyTimeout: 30s}",
        "policy:",
        "  noQuotaBudget: 'pods=2'",
        "  burst:",
        "    enabled: true",
        "    minLaunches: 3",
        "    window: 5m",
        "    lookahead: 30m",
        "    startTime: 20s",
        "kernelspecs:",
        "  - {name: python3, resources: 'cpu=500m,memory=512Mi', max: 10}",
        "");
    SidecarConfig config = SidecarConfig.parseYaml(yaml);
    assertThat(config.policy().burst().enabled()).isTrue();
    clock.showNow(MONDAY_TEN);
    sidecar = Sidecar.start(config, clock);

    // Monday and Tuesday at 10:00, four launches each. Monday has no history: the pool stays within
    // its cap of two (on Tuesday, Monday's class is history already).
    for (int day = 0; day < 2; day++) {
      clock.showNow(MONDAY_TEN.plusMillis(day * DAY));
      for (int i = 0; i < 4; i++) {
        claimAndStop("d" + day + "-" + i, false);
        if (day == 0) {
          assertThat(live()).isLessThanOrEqualTo(2);
        }
      }
    }

    // A restart (an upgrade, a new node) in the night: the new sidecar knows the class from the file.
    clock.showNow(MONDAY_TEN.plusMillis(DAY).plus(Duration.ofHours(12)));
    sidecar.close();
    sidecar = null;
    assertThat(dir.resolve("work/launch-history.json")).isNotEmptyFile();
    sidecar = Sidecar.start(config, clock);

    // Wednesday 09:40: the class is within the lookahead, but it is too early to start its kernels.
    Instant wednesdayTen = MONDAY_TEN.plusMillis(2 * DAY);
    clock.showNow(wednesdayTen.minus(Duration.ofMinutes(20)));
    sidecar.controller().requestReconcile();
    await().atMost(Duration.ofSeconds(10)).until(() -> sidecar.controller().lastPlan()
        .map(p -> !p.at().isBefore(wednesdayTen.minus(Duration.ofMinutes(20)))).orElse(false));
    assertThat(sidecar.controller().lastPlan().orElseThrow().replanBy()).isPresent();
    await().atMost(Duration.ofSeconds(30)).until(() -> live() <= 2);

    // 09:59:50: the four are expected within the start time: four warm kernels, past the cap of two,
    // started by the plan's own replanning (the resync is a minute away).
    clock.showNow(wednesdayTen.minusSeconds(10));
    await().atMost(Duration.ofSeconds(60)).until(() -> sidecar.registry().count(MemberState.WARM) >= 4);
    assertThat(live()).isGreaterThan(2);

    clock.showNow(wednesdayTen);
    for (int i = 0; i < 4; i++) {
      claimAndStop("wed-" + i, true);
    }

    // Once history says the class is over, what is left goes back to the cap.
    clock.showNow(wednesdayTen.plus(Duration.ofMinutes(5)));
    sidecar.controller().requestReconcile();
    await().atMost(Duration.ofSeconds(30)).until(() -> live() <= 2);
  }
}
