package dev.kernelpool.bridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kernelpool.core.sim.trace.TraceReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code generate} and {@code simulate} as a user runs them. */
class SimulationCommandsTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = new CommandLine(new Main()).execute(args);
      return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void generateThenSimulateTheTalksPolicyTheSimulatorsAndASidecarConfiguration() throws Exception {
    Run gen = run("generate", "--scenario", "near-quota", "--seed", "3", "--out", dir.toString());
    assertThat(gen.code()).isZero();
    assertThat(gen.err()).contains("near-quota:").contains("no policy without foresight serves 90% / 95% / 99%");
    assertThat(TraceReader.read(Files.newBufferedReader(dir.resolve("trace.csv")), "trace.csv")).isNotEmpty();

    Path config = dir.resolve("sidecar.yaml");
    Files.writeString(config, """
        policy:
          forecaster: seasonal
          sizing: marginal
          horizon: 7m
          minLaunchesPerHour: 0.01
        controller:
          resync: 5m
        """);
    Path report = dir.resolve("report.html");
    Run sim = run("simulate", "--trace", dir.resolve("trace.csv").toString(), "--quotas", dir.resolve("quotas.csv").toString(),
        "--policy", "seed,adaptive", "--config", config.toString(), "--json", "--report", report.toString());

    assertThat(sim.code()).as(sim.err()).isZero();
    JsonNode policies = new ObjectMapper().readTree(sim.out()).path("policies");
    assertThat(policies).hasSize(3);
    assertThat(policies.get(2).path("policy").asText()).isEqualTo("config(seasonal)");
    assertThat(policies.get(2).path("hit_rate").asDouble()).isPositive();
    assertThat(policies.get(2).path("quota_violations").asLong()).isZero();
    assertThat(Files.readString(report)).contains("adaptive").contains("config");

    Run fuller = run("simulate", "--trace", dir.resolve("trace.csv").toString(), "--quotas", dir.resolve("quotas.csv").toString(),
        "--policy", "seed", "--footprint", "cpu=1,memory=2Gi", "--json");
    assertThat(fuller.code()).as(fuller.err()).isZero();
    JsonNode seedFull = new ObjectMapper().readTree(fuller.out()).path("policies").get(0);
    double perKernelHourSmall = policies.get(0).path("idle_cpu_hours").asDouble() / policies.get(0).path("idle_kernel_hours").asDouble();
    double perKernelHourFull = seedFull.path("idle_cpu_hours").asDouble() / seedFull.path("idle_kernel_hours").asDouble();
    assertThat(perKernelHourSmall).isCloseTo(0.1, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(perKernelHourFull).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-6));
  }

  @Test
  void theClassAfterADayOfHistoryComparedWithTheBoundFromItsTrueRates() throws Exception {
    Run gen = run("generate", "--scenario", "class", "--seed", "1", "--bound-skip-days", "1", "--out", dir.toString());
    assertThat(gen.code()).as(gen.err()).isZero();
    assertThat(dir.resolve("bound.csv")).exists();

    Run sim = run("simulate", "--trace", dir.resolve("trace.csv").toString(), "--quotas", dir.resolve("quotas.csv").toString(),
        "--policy", "adaptive,burst", "--warmup-days", "1", "--max-starting", "100", "--bound", dir.resolve("bound.csv").toString(), "--json");

    assertThat(sim.code()).as(sim.err()).isZero();
    JsonNode burst = new ObjectMapper().readTree(sim.out()).path("policies").get(1);
    assertThat(burst.path("policy").asText()).isEqualTo("burst");
    assertThat(burst.path("hit_rate").asDouble()).isGreaterThanOrEqualTo(0.90);
    assertThat(burst.path("vs_bound").asDouble()).isBetween(1.0, 2.0);
  }

  @Test
  void aQuotaThatShrinksComesWithItsChangesFile() throws Exception {
    Run gen = run("generate", "--scenario", "quota-shrink", "--seed", "1", "--out", dir.toString());
    assertThat(gen.code()).as(gen.err()).isZero();
    assertThat(gen.err()).contains("quota-changes.csv");

    Run sim = run("simulate", "--trace", dir.resolve("trace.csv").toString(), "--quotas", dir.resolve("quotas.csv").toString(),
        "--quota-changes", dir.resolve("quota-changes.csv").toString(), "--policy", "adaptive", "--json");
    assertThat(sim.code()).as(sim.err()).isZero();
    assertThat(new ObjectMapper().readTree(sim.out()).path("policies").get(0).path("quota_violations").asLong()).isZero();
  }

  @Test
  void badInputsAreOneClearLineAndExitCode2() throws Exception {
    Path trace = dir.resolve("trace.csv");
    Files.writeString(trace, TraceReader.HEADER + "\n1000,ns,python3,1,2Gi,60\n2000,ns,python3,lots,2Gi,60\n");
    Path quotas = dir.resolve("quotas.csv");
    Files.writeString(quotas, "namespace,cpu,memory,pods\n");

    Run badRow = run("simulate", "--trace", trace.toString(), "--quotas", quotas.toString());
    assertThat(badRow.code()).isEqualTo(2);
    assertThat(badRow.err()).contains("trace.csv:3").doesNotContain("Exception");

    Run missing = run("simulate", "--trace", dir.resolve("nope.csv").toString(), "--quotas", quotas.toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("cannot read").contains("nope.csv").doesNotContain("\tat ");

    Files.writeString(trace, TraceReader.HEADER + "\n1000,ns,python3,1,2Gi,60\n");
    Run policy = run("simulate", "--trace", trace.toString(), "--quotas", quotas.toString(), "--policy", "crystal-ball");
    assertThat(policy.code()).isEqualTo(2);
    assertThat(policy.err()).contains("unknown policy 'crystal-ball'");

    Path badConfig = dir.resolve("bad.yaml");
    Files.writeString(badConfig, "policy: {sizing: magic}\n");
    Run config = run("simulate", "--trace", trace.toString(), "--quotas", quotas.toString(), "--config", badConfig.toString());
    assertThat(config.code()).isEqualTo(2);
    assertThat(config.err()).contains("policy.sizing: must be horizon or marginal");

    Run footprint = run("simulate", "--trace", trace.toString(), "--quotas", quotas.toString(), "--footprint", "cpu=lots");
    assertThat(footprint.code()).isEqualTo(2);
    assertThat(footprint.err()).contains("lots");

    Path bound = dir.resolve("bound.csv");
    Files.writeString(bound, "launches_per_hour,hours\n3,1\n-1,2\n");
    Run badBound = run("simulate", "--trace", trace.toString(), "--quotas", quotas.toString(), "--bound", bound.toString());
    assertThat(badBound.code()).isEqualTo(2);
    assertThat(badBound.err()).contains("bound.csv:3").contains("non-negative").doesNotContain("\tat ");

    Path changes = dir.resolve("changes.csv");
    Files.writeString(changes, "timestamp_ms,namespace,cpu,memory,pods\n5000,ns,1,1Gi,3\n4000,ns,1,1Gi,3\n");
    Run badChanges = run("simulate", "--trace", trace.toString(), "--quotas", quotas.toString(), "--quota-changes", changes.toString());
    assertThat(badChanges.code()).isEqualTo(2);
    assertThat(badChanges.err()).contains("changes.csv:3").contains("out of time order");

    Run scale = run("generate", "--scenario", "diurnal", "--scale", "0", "--out", dir.toString());
    assertThat(scale.code()).isEqualTo(2);
    assertThat(scale.err()).contains("scale must be 1..1000");
  }
}
