package dev.kernelpool.bridge.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kernelpool.bridge.config.SidecarConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kernel command that exits at once (here an interpreter that fails on import, as one without
 * pycryptodome does): the sidecar backs off instead of restarting it many times a second, says why
 * in its log and in {@code /readyz}, and leaves no per-kernel logs behind.
 */
class CrashLoopIT {
  @TempDir Path dir;

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static HttpResponse<String> readyz(Sidecar sidecar) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(sidecar.url() + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aKernelThatExitsAtOnceIsBackedOffAndReportedAsTheReasonTheSidecarIsNotReady() throws Exception {
    Path python = dir.resolve("broken-python");
    Files.writeString(python, "#!/bin/sh\necho \"ModuleNotFoundError: No module named 'Cryptodome'\" >&2\nexit 1\n");
    python.toFile().setExecutable(true);
    Path work = dir.resolve("work");
    try (Sidecar sidecar = Sidecar.start(SidecarConfig.localPool(work, python.toString(), 2), Clock.systemUTC())) {
      await().atMost(Duration.ofSeconds(20)).until(() -> readyz(sidecar).statusCode() == 503
          && readyz(sidecar).body().contains("keep failing to start"));
      assertThat(readyz(sidecar).body()).contains("No module named 'Cryptodome'");

      double before = started(sidecar);
      Thread.sleep(3000); // the rate is the point: count the starts over a fixed time
      double during = started(sidecar) - before;

      assertThat(during).as("starts in 3 s while backing off (15 a second before)").isLessThanOrEqualTo(4);
      await().atMost(Duration.ofSeconds(10)).until(() -> logs(work) == 0);
    }
  }

  private static double started(Sidecar sidecar) {
    return sidecar.metrics().render().lines().filter(l -> l.startsWith("kernelpool_kernels_started_total{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  private static long logs(Path work) throws Exception {
    try (Stream<Path> files = Files.list(work)) {
      return files.filter(f -> f.toString().endsWith(".log")).count();
    }
  }
}
