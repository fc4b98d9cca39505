package dev.kernelpool.bridge.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's "Using it" commands, run as written from the repository's root: the sidecar with the
 * guide's configuration, the scripts, the claim benchmark, a trace generated and simulated with
 * the reference configuration, the status of the running sidecar, and the export of a history.
 * Only the machine-wide paths are moved into a test folder ({@code /var/lib/kernel-pool},
 * {@code /usr/local/share/kernel-pool}, {@code /tmp/sim}, {@code /tmp/mine}), and {@code sudo}
 * dropped; every command must succeed, except the export, which on a machine without a cluster
 * must fail with one clear line.
 */
class ReadmeCommandsIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern BLOCK = Pattern.compile("## Using it\\s+```bash\\n(.*?)```", Pattern.DOTALL);
  private static final String JAR = "pool-gateway-bridge/target/kernel-pool.jar";

  @TempDir Path dir;

  /** The block's commands: continuation lines joined, comments and blank lines dropped. */
  static List<String> commands(String readme) {
    Matcher m = BLOCK.matcher(readme);
    if (!m.find()) {
      throw new IllegalStateException("README.md has no bash block under '## Using it'");
    }
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : m.group(1).split("\n")) {
      String code = line.replaceAll("\\s+#\\s.*$", "").strip();
      if (code.endsWith("\\")) {
        current.append(code, 0, code.length() - 1).append(' ');
        continue;
      }
      current.append(code);
      if (!current.toString().isBlank()) {
        out.add(current.toString().replaceAll("\\s+", " ").strip());
      }
      current.setLength(0);
    }
    return out;
  }

  @Test
  void readmesUsingItCommandsWorkAsWritten() throws Exception {
    Assumptions.assumeTrue(free(8765), "port 8765, which README's configuration and status use, is taken on this machine");
    Map<String, String> moved = new LinkedHashMap<>();
    moved.put("/var/lib/kernel-pool", dir.resolve("var-lib").toString());
    moved.put("/usr/local/share/kernel-pool", dir.resolve("share").toString());
    moved.put("/tmp/sim", dir.resolve("sim").toString());
    moved.put("/tmp/mine", dir.resolve("mine").toString());
    // the guide's configuration, with its work directory moved like the command that makes it
    Path config = dir.resolve("sidecar-distributed.yaml");
    Files.writeString(config, Files.readString(ROOT.resolve("examples/config/sidecar-distributed.yaml"))
        .replace("/var/lib/kernel-pool", moved.get("/var/lib/kernel-pool")));
    moved.put("examples/config/sidecar-distributed.yaml", config.toString());

    List<String> commands = commands(Files.readString(ROOT.resolve("README.md")));
    assertThat(commands).as("README's commands").anyMatch(c -> c.contains(" serve ")).anyMatch(c -> c.contains(" status"))
        .allMatch(c -> c.startsWith("sudo install") || c.startsWith("java -jar " + JAR));
    Process serve = null;
    try {
      for (String written : commands) {
        String command = written.replaceFirst("^sudo ", "");
        for (Map.Entry<String, String> e : moved.entrySet()) {
          command = command.replace(e.getKey(), e.getValue());
        }
        if (command.contains(" serve ")) {
          serve = new ProcessBuilder("bash", "-c", "exec " + command).directory(ROOT.toFile())
              .redirectErrorStream(true).redirectOutput(dir.resolve("serve.log").toFile()).start();
          Process sidecar = serve;
          // the guide's pool: two warm kernels
          await().atMost(Duration.ofSeconds(90)).until(() -> !sidecar.isAlive() || warm() >= 2);
          assertThat(sidecar.isAlive()).as("serve: %s", Files.readString(dir.resolve("serve.log"))).isTrue();
          continue;
        }
        Run run = run(command);
        if (written.contains(" export-trace ")) {
          assertThat(run.code()).as("export-trace without a cluster: %s", run.output()).isEqualTo(1);
          assertThat(run.output().strip()).as("one clear line").doesNotContain("\n")
              .startsWith("kernel-pool export-trace: cannot reach the API server").contains("--history FILE");
        } else {
          assertThat(run.code()).as("%s\n%s", written, run.output()).isZero();
        }
        if (written.contains(" status")) {
          assertThat(run.output()).contains("python_distributed_pooled");
        }
      }
      assertThat(dir.resolve("share/kernel-pool-launch.py")).isRegularFile();
      assertThat(dir.resolve("share/kernel_pool_eg-0.1.0-py3-none-any.whl")).as("README's pip install names it").isRegularFile();
      assertThat(dir.resolve("sim/trace.csv")).isRegularFile();
    } finally {
      if (serve != null) {
        serve.destroy();
        if (!serve.waitFor(30, TimeUnit.SECONDS)) {
          serve.destroyForcibly();
        }
      }
    }
    assertThat(serve.exitValue()).as("the sidecar stops cleanly on SIGTERM: %s", Files.readString(dir.resolve("serve.log"))).isIn(0, 143);
  }

  private record Run(int code, String output) {}

  private Run run(String command) throws IOException, InterruptedException {
    Path log = Files.createTempFile(dir, "command", ".log");
    Process p = new ProcessBuilder("bash", "-c", command).directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not end within 300 s: " + Files.readString(log));
    }
    return new Run(p.exitValue(), Files.readString(log));
  }

  private static int warm() {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:8765/pools")).build(),
          HttpResponse.BodyHandlers.ofString());
      Matcher m = Pattern.compile("\"warm\"\\s*:\\s*(\\d+)").matcher(r.body());
      int warm = 0;
      while (m.find()) {
        warm += Integer.parseInt(m.group(1));
      }
      return warm;
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.isBound();
    } catch (IOException e) {
      return false;
    }
  }
}
