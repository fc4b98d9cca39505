package dev.kernelpool.bridge.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kernelpool.bridge.bench.FreePorts;
import dev.kernelpool.bridge.bench.GatewayStandIn;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics against the real thing (Debian's {@code prometheus} 2.42 and {@code promtool}):
 * the rules pass {@code promtool check rules} and their unit tests, and a real Prometheus that
 * scrapes a running sidecar through claims and misses answers every panel query of the Grafana
 * dashboard and every recording rule with series carrying the labels the query groups by, and
 * evaluates every alert without error.
 */
class PrometheusIT {
  private static final Path RULES = Path.of("../examples/prometheus/kernel-pool-rules.yml").toAbsolutePath().normalize();
  private static final Path RULE_TESTS = Path.of("../examples/prometheus/kernel-pool-rules-test.yml").toAbsolutePath().normalize();
  private static final Path DASHBOARD = Path.of("../examples/grafana/kernel-pool.json");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  private static Optional<Path> tool(String name) {
    for (String p : List.of("/usr/bin/" + name, "/usr/local/bin/" + name)) {
      if (Files.isExecutable(Path.of(p))) {
        return Optional.of(Path.of(p));
      }
    }
    String line = "Prometheus suite skipped: no " + name + " (apt-get install prometheus; .ci/deps does)";
    System.err.println(line);
    Assumptions.abort(line);
    return Optional.empty();
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
    return out;
  }

  @Test
  void promtoolChecksTheRulesAndTheirUnitTestsPass() throws Exception {
    Path promtool = tool("promtool").orElseThrow();
    assertThat(run(List.of(promtool.toString(), "check", "rules", RULES.toString()))).contains("SUCCESS");
    assertThat(run(List.of(promtool.toString(), "test", "rules", RULE_TESTS.toString()))).contains("SUCCESS");
    // every alert has a unit test
    String tests = Files.readString(RULE_TESTS);
    for (String alert : alerts()) {
      assertThat(tests).as("a promtool test for " + alert).contains("alertname: " + alert);
    }
  }

  private static List<String> alerts() throws IOException {
    return rules("alert");
  }

  private static List<String> recordingRules() throws IOException {
    return rules("record");
  }

  /** The names of the rules of the rule file that are of {@code kind} ({@code alert} or {@code record}). */
  private static List<String> rules(String kind) throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode group : new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile()).path("groups")) {
      group.path("rules").forEach(r -> {
        if (r.has(kind)) {
          out.add(r.path(kind).asText());
        }
      });
    }
    return out;
  }

  @Test
  void aRealPrometheusScrapesTheSidecarAndEveryPanelAndRuleAnswers() throws Exception {
    Path prometheus = tool("prometheus").orElseThrow();
    try (Sidecar sidecar = SidecarFixture.start(dir.resolve("work"), 1, "5s"); GatewayStandIn eg = new GatewayStandIn()) {
      SidecarFixture.awaitWarm(sidecar, 1);
      int port = FreePorts.take(1)[0];
      URI sidecarUrl = URI.create(sidecar.url());
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(config, String.join("\n",
          "global: {scrape_interval: 1s, evaluation_interval: 1s}",
          "rule_files: ['" + RULES + "']",
          "scrape_configs:",
          "  - job_name: kernel-pool",
          "    static_configs: [{targets: ['" + sidecarUrl.getHost() + ":" + sidecarUrl.getPort() + "']}]",
          ""));
      Process server = new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
          "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
          .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
      try {
        String api = "http://127.0.0.1:" + port;
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
            .until(() -> query(api, "up{job=\"kernel-pool\"}").path(0).path("value").path(1).asText().equals("1"));
        // traffic after the first scrape: two hits and a miss (the pool of one is empty right after a claim)
        for (String id : List.of("prom-1", "prom-2")) {
          SidecarFixture.Answer hit = SidecarFixture.claim(sidecar, eg, id, Map.of());
          SidecarFixture.Answer miss = SidecarFixture.claim(sidecar, eg, id + "-miss", Map.of());
          assertThat(hit.status()).as(hit.body().toString()).isEqualTo(200);
          assertThat(miss.status()).isEqualTo(404);
          SidecarFixture.shutdown(eg.await(id, Duration.ofSeconds(30)));
          SidecarFixture.awaitWarm(sidecar, 1);
        }
        // a request with a wrong token, and a warm kernel killed (evicted and replaced)
        HttpResponse<String> unauthorized = HTTP.send(HttpRequest.newBuilder(URI.create(sidecar.url() + "/v1/claims"))
            .header("Authorization", "Bearer wrong").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        long pid = sidecar.registry().all().get(0).launch().orElseThrow().pid().orElseThrow();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(60)).until(() -> sidecar.registry().all().stream().noneMatch(
            k -> k.launch().map(l -> l.pid().orElse(-1)).orElse(-1L) == pid));
        SidecarFixture.awaitWarm(sidecar, 1);
        for (String expr : panelQueries()) {
          assertAnswers(api, expr);
        }
        for (String record : recordingRules()) {
          assertAnswers(api, record);
        }
        // every rule, alerts included, evaluates without error on the sidecar's real series
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          JsonNode groups = get(api + "/api/v1/rules").path("data").path("groups");
          List<String> unhealthy = new ArrayList<>();
          int rules = 0;
          for (JsonNode g : groups) {
            for (JsonNode r : g.path("rules")) {
              rules++;
              if (!r.path("health").asText().equals("ok")) {
                unhealthy.add(r.path("name").asText() + ": " + r.path("health").asText() + " " + r.path("lastError").asText());
              }
            }
          }
          assertThat(rules).isEqualTo(recordingRules().size() + alerts().size());
          assertThat(unhealthy).isEmpty();
        });
        // a sidecar that leads, claims that hit: none of the alerts fires (one may be pending: right after the
        // killed kernel the pool held nothing warm while launches had missed, which is what that alert watches)
        JsonNode alerts = get(api + "/api/v1/alerts").path("data").path("alerts");
        List<String> firing = new ArrayList<>();
        alerts.forEach(a -> {
          if (!a.path("state").asText().equals("pending")) {
            firing.add(a.toString());
          }
        });
        assertThat(firing).isEmpty();
      } finally {
        server.destroy();
        if (!server.waitFor(10, TimeUnit.SECONDS)) {
          server.destroyForcibly();
        }
      }
    }
  }

  /** Waits until {@code expr} returns series, each carrying the labels the query groups by. */
  private void assertAnswers(String api, String expr) {
    List<String> by = groupedBy(expr);
    await(expr).atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
      JsonNode result = query(api, expr);
      assertThat(result).as(expr).isNotEmpty();
      for (JsonNode series : result) {
        for (String label : by) {
          assertThat(series.path("metric").has(label)).as(expr + " " + series).isTrue();
        }
        assertThat(series.path("value").path(1).asText()).as(expr).isNotEqualTo("NaN");
      }
    });
  }

  /** The labels of the outermost {@code by (...)} of a query: what every series it returns must carry. */
  private static List<String> groupedBy(String expr) {
    Matcher m = Pattern.compile("^\\w+\\s+by\\s*\\(([^)]*)\\)").matcher(expr.trim());
    List<String> out = new ArrayList<>();
    if (m.find()) {
      for (String l : m.group(1).split(",")) {
        if (!l.isBlank() && !l.trim().equals("le") && !l.trim().equals("instance")) {
          out.add(l.trim());
        }
      }
    }
    return out;
  }

  private static List<String> panelQueries() throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode panel : JSON.readTree(DASHBOARD.toFile()).path("panels")) {
      panel.path("targets").forEach(t -> out.add(t.path("expr").asText()));
    }
    assertThat(out).isNotEmpty();
    return out;
  }

  private static JsonNode query(String api, String expr) throws Exception {
    JsonNode answer = get(api + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
    assertThat(answer.path("status").asText()).as(expr + ": " + answer).isEqualTo("success");
    return answer.path("data").path("result");
  }

  private static JsonNode get(String url) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }
}
