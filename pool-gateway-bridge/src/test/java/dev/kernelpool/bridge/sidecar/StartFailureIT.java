package dev.kernelpool.bridge.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kernelpool.bridge.config.SidecarConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start that fails stops what it began, and says why in one line. */
class StartFailureIT {
  @TempDir Path dir;

  private List<ProcessHandle> kernelsOf(Path work) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(work.toString()))
        .toList();
  }

  @Test
  void aPortInUseLeavesNoKernelsBehind() throws Exception {
    Path work = dir.resolve("work");
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      SidecarConfig config = SidecarConfig.parseYaml(String.join("\n",
          "http: {port: " + taken.getLocalPort() + "}",
          "local: {workDir: '" + work + "'}",
          "kernelspecs: [{name: python3, resources: 'cpu=500m,memory=512Mi', min: 3, max: 3}]", ""));

      assertThatThrownBy(() -> Sidecar.start(config, Clock.systemUTC())).isInstanceOf(IOException.class);

      await().atMost(Duration.ofSeconds(15)).until(() -> kernelsOf(work).isEmpty());
    }
  }

  @Test
  void serveSaysWhyItCannotStartInOneLine() throws Exception {
    Path planted = Files.createDirectory(dir.resolve("planted"));
    Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path config = dir.resolve("sidecar.yaml");
    Files.writeString(config, "http: {port: 0}\nlocal: {workDir: '" + planted + "'}\n");
    String java = ProcessHandle.current().info().command().orElse("java");

    Process p = new ProcessBuilder(java, "-jar", Path.of("target", "kernel-pool.jar").toAbsolutePath().toString(),
        "serve", "--config", config.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(stderr.lines().filter(l -> l.startsWith("kernel-pool: cannot start:")).toList()).singleElement()
        .satisfies(l -> assertThat(l).contains(planted.toString(), "rwxrwxrwx"));
    assertThat(stderr).doesNotContain("\tat ").doesNotContain("Exception");
  }
}
