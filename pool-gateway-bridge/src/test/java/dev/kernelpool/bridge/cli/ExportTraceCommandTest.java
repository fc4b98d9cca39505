package dev.kernelpool.bridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kernelpool.bridge.backend.LaunchHistoryFile;
import dev.kernelpool.bridge.backend.PrivateDirectory;
import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.sim.trace.QuotaFileReader;
import dev.kernelpool.core.sim.trace.TraceReader;
import dev.kernelpool.core.snapshot.LaunchRecorder;
import dev.kernelpool.core.snapshot.LaunchSeries;
import dev.kernelpool.core.snapshot.PoolProfile;
import dev.kernelpool.k8s.history.HistoryCodec;
import dev.kernelpool.k8s.testing.FakeApiServer;
import dev.kernelpool.k8s.testing.ResourceType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ExportTraceCommandTest {
  @TempDir Path dir;

  @Test
  void writesTheLearntHistoryAsATraceAndTheQuotasAsAQuotaFile() throws Exception {
    try (FakeApiServer server = FakeApiServer.start()) {
      server.createNamespace("team-a", Map.of());
      server.createQuota("team-a", "compute", Map.of("requests.cpu", "20", "requests.memory", "64Gi", "pods", "50"));
      PoolProfile p = PoolProfile.of("team-a", "python3", "python:3.12", Resources.parse("cpu=1,memory=2Gi"));
      String history = HistoryCodec.encode(Instant.ofEpochSecond(2_000_000),
          Map.of(p, LaunchSeries.ofEpochMillis(1_000_000_000L, 1_000_060_000L, 1_000_000_000L)));
      ObjectNode cm = new ObjectMapper().createObjectNode();
      cm.putObject("metadata").put("name", "kernel-pool-history")
          .putObject("labels").put("app.kubernetes.io/managed-by", "kernel-pool").put("kernel-pool.dev/pool", "kernel-pool");
      cm.putObject("data").put("launches.json", history);
      server.create(ResourceType.CONFIG_MAPS, "team-a", cm.toString());

      int code = new CommandLine(new Main()).execute("export-trace", "--out", dir.toString(), "--api-url", server.url(), "--session", "30m");

      assertThat(code).isZero();
      var launches = TraceReader.read(Files.newBufferedReader(dir.resolve("trace.csv")), "trace.csv");
      assertThat(launches).hasSize(3).allSatisfy(l -> {
        assertThat(l.namespace()).isEqualTo("team-a");
        assertThat(l.kernelspec()).isEqualTo("python3");
        assertThat(l.cpuMilli()).isEqualTo(1000);
        assertThat(l.durationSeconds()).isEqualTo(1800);
      });
      assertThat(launches.get(2).timestampMs()).isEqualTo(1_000_060_000L);
      assertThat(QuotaFileReader.read(Files.newBufferedReader(dir.resolve("quotas.csv")), "quotas.csv")).containsKey("team-a");
      assertThat(Files.readString(dir.resolve("quotas.csv"))).contains("team-a");
    }
  }

  @Test
  void aLocalSidecarsHistoryFileBecomesATraceTheSimulatorReads() throws Exception {
    LaunchRecorder launches = new LaunchRecorder(Duration.ofDays(7));
    PoolProfile p = PoolProfile.of("local", "python3", "local", Resources.parse("cpu=500m,memory=512Mi"));
    Instant now = Instant.parse("2026-12-02T12:00:00Z");
    launches.record(p, now.minusSeconds(3600));
    launches.record(p, now.minusSeconds(60));
    Path work = PrivateDirectory.ensure(dir.resolve("work"));
    new LaunchHistoryFile(work.resolve("launch-history.json"), "local").save(launches, now);

    int code = new CommandLine(new Main()).execute("export-trace", "--out", dir.resolve("out").toString(),
        "--history", work.resolve("launch-history.json").toString());

    assertThat(code).isZero();
    var trace = TraceReader.read(Files.newBufferedReader(dir.resolve("out/trace.csv")), "trace.csv");
    assertThat(trace).extracting(l -> l.timestampMs())
        .containsExactly(now.minusSeconds(3600).toEpochMilli(), now.minusSeconds(60).toEpochMilli());
    assertThat(trace).allSatisfy(l -> assertThat(l.cpuMilli()).isEqualTo(500));
    assertThat(new CommandLine(new Main()).execute("simulate", "--trace", dir.resolve("out/trace.csv").toString(),
        "--quotas", dir.resolve("out/quotas.csv").toString(), "--policy", "seed,adaptive")).isZero();
  }

  @Test
  void anUnreadableHistoryFileIsAClearError() throws Exception {
    Path bad = Files.writeString(dir.resolve("h.json"), "not json");

    int code = new CommandLine(new Main()).execute("export-trace", "--out", dir.resolve("out").toString(), "--history", bad.toString());

    assertThat(code).isEqualTo(1);
    assertThat(dir.resolve("out/trace.csv")).doesNotExist();
  }

  @Test
  void anUnreachableApiServerIsAClearErrorNotAStackTrace() {
    int code = new CommandLine(new Main()).execute("export-trace", "--out", dir.toString(), "--api-url", "http://127.0.0.1:9");
    assertThat(code).isNotZero();
    assertThat(List.of(dir.toFile().list())).doesNotContain("trace.csv");
  }
}
