package dev.kernelpool.bridge.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kernelpool.bridge.metrics.PoolMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusEndpointsIT {
  @TempDir Path dir;

  private static HttpResponse<String> get(Sidecar s, String path) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(s.url() + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthReadinessMetricsAndPools() throws Exception {
    try (Sidecar sidecar = SidecarFixture.start(dir, 1, "5s")) {
      SidecarFixture.awaitWarm(sidecar, 1);

      assertThat(get(sidecar, "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(sidecar, "/readyz").statusCode()).isEqualTo(200);
      String metrics = get(sidecar, "/metrics").body();
      // what a warm pool has data for (the client writes no family for a labelled metric without samples)
      for (String name : List.of(PoolMetrics.CLAIM_SECONDS, PoolMetrics.STARTED, PoolMetrics.POOL_KERNELS, PoolMetrics.POOL_TARGET,
          PoolMetrics.LEADER, PoolMetrics.RECONCILES, PoolMetrics.PAYLOADS_REJECTED)) {
        assertThat(metrics).contains("# TYPE " + name + " ");
      }
      assertThat(metrics).contains(PoolMetrics.LEADER + " 1.0\n").doesNotContain("jvm_");
      assertThat(metrics).containsPattern(PoolMetrics.POOL_KERNELS + "\\{kernelspec=\"python3\",namespace=\"local\",profile=\"\\w+\",state=\"WARM\"} 1\\.0")
          .containsPattern(PoolMetrics.POOL_KERNELS + "\\{[^}]*state=\"STARTING\"} 0\\.0")
          .contains(PoolMetrics.START_FAILURES + "{reason=\"exited\"} 0.0");
      assertThat(metrics).contains(PoolMetrics.POOL_TARGET + "{kernelspec=\"python3\",namespace=\"local\"");
      JsonNode pools = new ObjectMapper().readTree(get(sidecar, "/pools").body());
      JsonNode profile = pools.path("namespaces").get(0).path("profiles").get(0);
      assertThat(pools.path("namespaces").get(0).path("eligibility").asText()).isEqualTo("ELIGIBLE");
      assertThat(profile.path("kernelspec").asText()).isEqualTo("python3");
      assertThat(profile.path("target").asInt()).isEqualTo(1);
      assertThat(profile.path("warm").asInt()).isEqualTo(1);
      assertThat(get(sidecar, "/nope").statusCode()).isEqualTo(404);
      assertThat(HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(sidecar.url() + "/v1/claims")).GET().build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
    }
  }
}
