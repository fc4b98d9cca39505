package dev.kernelpool.bridge.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kernelpool.bridge.config.SidecarConfig;
import dev.kernelpool.core.snapshot.MemberState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pool kernel that reports its connection and then dies before it answers (as one that lost
 * ipykernel's port race does) is replaced at once, not after the readiness check that was talking
 * to it times out. Replays a CI failure: the controller closed the dead kernel's connection before
 * taking it out of the pool, and the close waited the ready timeout (a minute) for the check.
 *
 * <p>The fixture is the real launcher and the real ipykernel, behind an interpreter wrapper that
 * gives the first kernel it starts an {@code ipykernel} which exits a second after the report.
 */
class KernelDiesWhileStartingIT {
  @TempDir Path dir;

  @Test
  void aKernelThatDiesAfterItsReportIsReplacedWithoutWaitingForItsReadinessCheck() throws Exception {
    Path fake = Files.createDirectories(dir.resolve("fake/ipykernel"));
    Files.writeString(fake.resolve("__init__.py"), "");
    Files.writeString(fake.resolve("kernelapp.py"), "import os, time\ntime.sleep(1)\nos._exit(3)\n");
    Path python = dir.resolve("python-first-dies");
    Files.writeString(python, String.join("\n",
        "#!/bin/sh",
        "# the first kernel started gets the ipykernel that dies; every later one the real one",
        "if mkdir '" + dir.resolve("first-started") + "' 2>/dev/null; then",
        "  PYTHONPATH='" + dir.resolve("fake") + "' exec /usr/bin/python3 \"$@\"",
        "fi",
        "exec /usr/bin/python3 \"$@\"",
        ""));
    python.toFile().setExecutable(true);
    SidecarConfig config = SidecarConfig.parseYaml(String.join("\n",
        "http: {port: 0}",
        "local: {workDir: '" + dir.resolve("work") + "', python: '" + python + "'}",
        "controller: {readyTimeout: 120s}",
        "policy: {noQuotaBudget: 'pods=1'}",
        "kernelspecs:",
        "  - {name: python3, resources: 'cpu=500m,memory=512Mi', min: 1, max: 1}",
        ""));

    try (Sidecar sidecar = Sidecar.start(config, Clock.systemUTC())) {
      // well within the ready timeout of two minutes the first kernel is gone and its replacement warm
      await().atMost(Duration.ofSeconds(40)).until(() -> sidecar.registry().count(MemberState.WARM) == 1);
      assertThat(Files.isDirectory(dir.resolve("first-started"))).as("the dying kernel was started").isTrue();
      assertThat(sidecar.metrics().render()).contains("kernelpool_kernel_start_failures_total{reason=\"exited\"} 1.0\n");
    }
  }
}
