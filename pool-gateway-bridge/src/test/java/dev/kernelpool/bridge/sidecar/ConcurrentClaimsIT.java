package dev.kernelpool.bridge.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kernelpool.bridge.launcher.LauncherResponse;
import dev.kernelpool.bridge.bench.GatewayStandIn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many claims at once against a small pool: each warm kernel goes to exactly one of them. */
class ConcurrentClaimsIT {

  @TempDir Path dir;

  @Test
  void twoHundredClaimsOnAPoolOfTenGiveTenHitsAndNothingTwice() throws Exception {
    try (Sidecar sidecar = SidecarFixture.start(dir, 10, "5s");
        GatewayStandIn eg = new GatewayStandIn()) {
      SidecarFixture.awaitWarm(sidecar, 10);
      sidecar.controller().setPaused(true);
      List<SidecarFixture.Answer> answers = SidecarFixture.claimAtOnce(List.of(sidecar), eg, 200,
          kernelId -> java.util.Map.of("KERNEL_USERNAME", "user-" + kernelId));

      List<SidecarFixture.Answer> hits = answers.stream().filter(a -> a.status() == 200).toList();
      List<SidecarFixture.Answer> misses = answers.stream().filter(a -> a.status() == 404).toList();
      assertThat(hits).hasSize(10);
      assertThat(misses).hasSize(190).allSatisfy(a -> assertThat(a.body().path("reason").asText()).isEqualTo("no_warm_kernel"));
      Set<String> poolKernels = new HashSet<>();
      List<LauncherResponse> delivered = new ArrayList<>();
      for (SidecarFixture.Answer hit : hits) {
        assertThat(poolKernels.add(hit.body().path("pool_kernel").asText())).isTrue();
        delivered.add(eg.await(hit.kernelId(), Duration.ofSeconds(10)));
      }
      assertThat(eg.deliveries()).isEqualTo(10);
      assertThat(delivered).extracting(r -> r.connectionInfo().shellPort()).doesNotHaveDuplicates();
      delivered.forEach(SidecarFixture::shutdown);
    }
  }
}
