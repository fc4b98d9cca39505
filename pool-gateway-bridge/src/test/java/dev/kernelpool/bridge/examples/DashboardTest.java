package dev.kernelpool.bridge.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kernelpool.bridge.metrics.PoolMetrics;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard queries only metrics the sidecar really exports. */
class DashboardTest {
  private static final Path DASHBOARD =
      Path.of(System.getProperty("user.dir")).getParent().resolve("examples/grafana/kernel-pool.json");
  private static final Pattern METRIC = Pattern.compile("\\bkernelpool_[a-z_]+");

  @Test
  void everyQueriedMetricIsExported() throws Exception {
    PoolMetrics metrics = new PoolMetrics();
    metrics.poolGauges(List::of, List::of);
    metrics.payloadGauge(List::of);
    Set<String> exported = new TreeSet<>(metrics.registry().names());
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());

    Set<String> queried = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        Matcher m = METRIC.matcher(target.path("expr").asText());
        while (m.find()) {
          queried.add(m.group().replaceAll("_(bucket|sum|count)$", ""));
        }
      }
    }

    assertThat(queried).isNotEmpty();
    assertThat(exported).containsAll(queried);
    assertThat(queried).contains(PoolMetrics.CLAIMS, PoolMetrics.CLAIM_SECONDS, PoolMetrics.POOL_KERNELS,
        PoolMetrics.POOL_TARGET, PoolMetrics.EVICTIONS, PoolMetrics.FALLBACKS);
  }
}
