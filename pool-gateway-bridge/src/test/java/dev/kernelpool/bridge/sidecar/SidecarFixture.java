package dev.kernelpool.bridge.sidecar;

import static org.awaitility.Awaitility.await;

import dev.kernelpool.bridge.bench.ClaimBench;
import dev.kernelpool.bridge.config.SidecarConfig;
import dev.kernelpool.bridge.launcher.LauncherResponse;
import dev.kernelpool.core.snapshot.MemberState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Starts a sidecar with a local pool of a fixed size for tests. */
final class SidecarFixture {
  static final String TOKEN = "test-token-0123456789";

  private SidecarFixture() {}

  static Sidecar start(Path workDir, int poolSize, String claimTimeout) throws Exception {
    String yaml =
        String.join(
            "\n",
            "http: {port: 0}",
            "token: " + TOKEN,
            "claim: {timeout: " + claimTimeout + "}",
            "local: {workDir: '" + workDir + "'}",
            "controller: {heartbeat: 1s, resync: 5s, readyTimeout: 30s}",
            "policy: {noQuotaBudget: 'pods=" + poolSize + "'}",
            "kernelspecs:",
            "  - {name: python3, resources: 'cpu=500m,memory=512Mi', min: " + poolSize + ", max: " + poolSize + "}",
            "");
    return Sidecar.start(SidecarConfig.parseYaml(yaml), Clock.systemUTC());
  }

  static void awaitWarm(Sidecar sidecar, int count) {
    await().atMost(Duration.ofSeconds(60)).until(() -> sidecar.registry().count(MemberState.WARM) >= count);
  }

  record Answer(int status, com.fasterxml.jackson.databind.JsonNode body, String kernelId) {}

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
  private static final java.net.http.HttpClient HTTP =
      java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A claim over the claim API, as the launch script sends it, for EG stand-in {@code eg}. */
  static Answer claim(Sidecar sidecar, dev.kernelpool.bridge.bench.GatewayStandIn eg, String kernelId,
      java.util.Map<String, String> env) throws Exception {
    return claim(sidecar, eg, kernelId, env, 0);
  }

  /** @param timeoutMillis the script's timeout sent as {@code timeout_ms}; 0 sends none */
  static Answer claim(Sidecar sidecar, dev.kernelpool.bridge.bench.GatewayStandIn eg, String kernelId,
      java.util.Map<String, String> env, long timeoutMillis) throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode();
    if (timeoutMillis > 0) {
      body.put("timeout_ms", timeoutMillis);
    }
    body.put("version", 1);
    body.put("kernel_id", kernelId);
    body.put("kernelspec", "python3");
    body.put("response_address", eg.responseAddress());
    body.put("public_key", eg.publicKey());
    com.fasterxml.jackson.databind.node.ObjectNode e = body.putObject("env");
    env.forEach(e::put);
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(sidecar.url() + "/v1/claims"))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + sidecar.token())
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
    java.net.http.HttpResponse<String> response = HTTP.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), JSON.readTree(response.body()), kernelId);
  }

  /**
   * Sends {@code count} claims at once, from 64 threads released together: claim {@code i} goes to
   * {@code targets[i % targets.size()]} for kernel {@code eg-kernel-i}, with {@code env.apply(kernelId)}.
   */
  static java.util.List<Answer> claimAtOnce(java.util.List<Sidecar> targets, dev.kernelpool.bridge.bench.GatewayStandIn eg,
      int count, java.util.function.Function<String, java.util.Map<String, String>> env) throws Exception {
    java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(64);
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    java.util.List<java.util.concurrent.Future<Answer>> futures = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        Sidecar target = targets.get(i % targets.size());
        String kernelId = "eg-kernel-" + i;
        futures.add(threads.submit(() -> {
          go.await();
          return claim(target, eg, kernelId, env.apply(kernelId));
        }));
      }
      go.countDown();
      java.util.List<Answer> answers = new java.util.ArrayList<>();
      for (java.util.concurrent.Future<Answer> f : futures) {
        answers.add(f.get());
      }
      return answers;
    } finally {
      threads.shutdown();
    }
  }

  /** Stops a kernel handed to EG as EG does: through its launcher's comm port. */
  static void shutdown(LauncherResponse r) {
    ClaimBench.shutdown(r);
    r.pid().ifPresent(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }
}
