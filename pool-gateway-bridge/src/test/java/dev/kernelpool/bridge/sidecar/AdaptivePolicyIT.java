package dev.kernelpool.bridge.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kernelpool.bridge.bench.GatewayStandIn;
import dev.kernelpool.bridge.config.SidecarConfig;
import dev.kernelpool.core.snapshot.MemberState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator's adaptive policy run by the sidecar as configuration, with real kernels: no pool
 * before any launch, a miss teaches it the profile, the refill of a quiet profile waits its delay,
 * and the next launch is a hit.
 */
class AdaptivePolicyIT {
  @TempDir Path dir;

  @Test
  void learnsFromAMissThenServesTheNextLaunchWarm() throws Exception {
    String yaml = String.join("\n",
        "http: {port: 0}",
        "token: " + SidecarFixture.TOKEN,
        "claim: {timeout: 5s}",
        "local: {workDir: '" + dir.resolve("work") + "'}",
        "controller: {heartbeat: 1s, resync: 1s, readyTimeout: 30s}",
        "policy:",
        "  noQuotaBudget: 'pods=3'",
        "  forecaster: combined",
        "  sizing: marginal",
        "  horizon: 7m",
        "  minLaunchesPerHour: 0.01",
        "  topMinLaunchesPerHour: 0.005",
        "  minHitsPerIdleHour: 3",
        "  refill: 2s",
        "  quietRefillDelay: 3s",
        "  quietLaunchesPerHour: 0.025",
        "  popularTiesFirst: true",
        "kernelspecs:",
        "  - {name: python3, resources: 'cpu=500m,memory=512Mi'}",
        "");
    try (GatewayStandIn eg = new GatewayStandIn();
        Sidecar sidecar = Sidecar.start(SidecarConfig.parseYaml(yaml), Clock.systemUTC())) {
      // Nothing launched yet: no demand, no pool (a resync has run).
      await().atMost(Duration.ofSeconds(10)).until(() -> sidecar.controller().lastPlan().isPresent());
      assertThat(sidecar.registry().all()).isEmpty();

      long missAt = System.nanoTime();
      SidecarFixture.Answer miss = SidecarFixture.claim(sidecar, eg, "first", Map.of());
      assertThat(miss.status()).isEqualTo(404);
      assertThat(miss.body().path("reason").asText()).isEqualTo("no_warm_kernel");

      // One launch in a week is quiet (below 0.025/h): its kernel waits 3 s after the launch, then starts.
      await().atMost(Duration.ofSeconds(60)).until(() -> sidecar.registry().count(MemberState.WARM) == 1);
      assertThat(Duration.ofNanos(System.nanoTime() - missAt)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
      assertThat(sidecar.registry().all()).hasSize(1);

      SidecarFixture.Answer hit = SidecarFixture.claim(sidecar, eg, "second", Map.of());
      assertThat(hit.status()).as(hit.body().toString()).isEqualTo(200);
      SidecarFixture.shutdown(eg.await("second", Duration.ofSeconds(30)));
    }
  }
}
