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

    // a recording rule (kernelpool:...) stands for the metrics of its expression
    java.util.Map<String, String> records = new java.util.HashMap<>();
    for (JsonNode group : new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
        .readTree(DASHBOARD.getParent().getParent().resolve("prometheus/kernel-pool-rules.yml").toFile()).path("groups")) {
      group.path("rules").forEach(r -> {
        if (r.has("record")) {
          records.put(r.path("record").asText(), r.path("expr").asText());
        }
      });
    }
    Set<String> queried = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        Matcher rule = Pattern.compile("kernelpool:[a-z0-9_:]+").matcher(expr);
        while (rule.find()) {
          assertThat(records).as("recording rule " + rule.group()).containsKey(rule.group());
          expr = expr + " " + records.get(rule.group());
        }
        Matcher m = METRIC.matcher(expr);
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
