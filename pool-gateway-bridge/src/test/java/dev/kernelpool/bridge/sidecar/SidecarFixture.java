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

  /** Stops a kernel handed to EG as EG does: through its launcher's comm port. */
  static void shutdown(LauncherResponse r) {
    ClaimBench.shutdown(r);
    r.pid().ifPresent(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }
}
