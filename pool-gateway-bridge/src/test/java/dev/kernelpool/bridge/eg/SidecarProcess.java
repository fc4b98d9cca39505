package dev.kernelpool.bridge.eg;

import dev.kernelpool.bridge.bench.EnterpriseGatewayRunner;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The sidecar as users run it: {@code java -jar kernel-pool.jar serve --config FILE}, a process of
 * its own, so a test can stop it, or freeze it with SIGSTOP the way an overloaded host does.
 */
final class SidecarProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** Apart from {@link #EG_PORTS} and below the ephemeral ports, as docs/enterprise-gateway.md advises. */
  static final String POOL_PORTS = "20000..29999";
  /**
   * EG's {@code EG_PORT_RANGE} in the suites: below Linux's ephemeral ports (32768 and up), which any
   * outgoing connection on the host may take between EG's launcher picking a port and the kernel binding it.
   */
  static final String EG_PORTS = "10000..19999";

  private final Process process;
  private final String url;
  private final Path workDir;
  private final Path log;

  private SidecarProcess(Process process, String url, Path workDir, Path log) {
    this.process = process;
    this.url = url;
    this.workDir = workDir;
    this.log = log;
  }

  /** The executable jar the build made (failsafe runs after package). */
  static Path jar() {
    Path jar = Path.of("target", "kernel-pool.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no " + jar + ": run mvn package first");
    }
    return jar;
  }

  /** The documented configuration: examples/config/sidecar-distributed.yaml. */
  static final Path EXAMPLE = Path.of("..", "examples", "config", "sidecar-distributed.yaml");

  /**
   * Starts the sidecar with the documented configuration, {@link #EXAMPLE}, only its port and work
   * directory changed (free port, a test directory): a pool of 2 warm {@code
   * python_distributed_pooled} kernels.
   */
  static SidecarProcess start(Path dir) throws IOException {
    int size = 2;
    int port = EnterpriseGatewayRunner.freePort();
    Path workDir = dir.resolve("pool-work");
    Path config = dir.resolve("sidecar.yaml");
    String example = Files.readString(EXAMPLE);
    String adapted = example.replace("port: 8765", "port: " + port).replace("/var/lib/kernel-pool", workDir.toString());
    if (adapted.equals(example) || !adapted.contains(POOL_PORTS)) {
      throw new IllegalStateException(EXAMPLE + " no longer has the port, work directory or port range the suite expects");
    }
    Files.writeString(config, adapted);
    String java = ProcessHandle.current().info().command().orElse("java");
    Path log = dir.resolve("sidecar-" + port + ".log");
    Process p = new ProcessBuilder(java, "-jar", jar().toString(), "serve", "--config", config.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    SidecarProcess sidecar = new SidecarProcess(p, "http://127.0.0.1:" + port, workDir, log);
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> !p.isAlive() || sidecar.warm() >= size);
      if (!p.isAlive()) {
        throw new IllegalStateException("sidecar did not start: " + Files.readString(log));
      }
    } catch (ConditionTimeoutException e) {
      String answer = sidecar.warm() < 0 ? "no answer" : sidecar.get("/pools");
      sidecar.close();
      throw new IllegalStateException("the sidecar's pool of " + size + " was not warm in 60 s; /pools: " + answer
          + "\nits log:\n" + Files.readString(log), e);
    } catch (RuntimeException e) {
      sidecar.close();
      throw e;
    }
    return sidecar;
  }

  /**
   * The documented distributed-mode setup in {@code dir}: this sidecar, the launch script, EG's
   * {@code python_distributed}, the pooled kernelspec and the plugin's (the plugin pip-installed
   * from the build's wheel onto EG's Python path), and EG started on them.
   */
  EnterpriseGatewayRunner startGateway(Path dir) throws IOException {
    return startGateway(dir, java.util.Map.of(), java.util.List.of());
  }

  /** The same, with EG's own settings: {@code env} ({@code EG_*} variables) and {@code options} ({@code --Class.trait=value}). */
  EnterpriseGatewayRunner startGateway(Path dir, java.util.Map<String, String> env, java.util.List<String> options) throws IOException {
    Path home = EnterpriseGateway.home();
    Path script = dev.kernelpool.bridge.backend.Scripts.extract(dev.kernelpool.bridge.backend.Scripts.LAUNCH_SCRIPT, dir.resolve("scripts"));
    EnterpriseGatewayRunner.writeKernelspecs(dir, home, script, url(), tokenFile(), "2");
    Path plugin;
    try {
      plugin = PluginInstall.into(dir);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    java.util.Map<String, String> egEnv = new java.util.HashMap<>(java.util.Map.of("EG_PORT_RANGE", EG_PORTS, "PYTHONPATH", plugin.toString(),
        // EG's kernel logs (distributed mode) in the test's folder, not /tmp
        "EG_KERNEL_LOG_DIR", Files.createDirectories(dir.resolve("kernel-logs")).toString()));
    egEnv.putAll(env);
    java.util.List<String> entry = new java.util.ArrayList<>(java.util.List.of("-m", "enterprise_gateway"));
    entry.addAll(options);
    return EnterpriseGatewayRunner.start(home, dir, dir, egEnv, entry);
  }

  String url() {
    return url;
  }

  Path tokenFile() {
    return workDir.resolve("token");
  }

  long pid() {
    return process.pid();
  }

  /** Warm kernels in the pool, from {@code /pools}; -1 while it does not answer. */
  int warm() {
    try {
      JsonNode pools = JSON.readTree(get("/pools"));
      int warm = 0;
      for (JsonNode ns : pools.path("namespaces")) {
        for (JsonNode p : ns.path("profiles")) {
          warm += p.path("warm").asInt();
        }
      }
      return warm;
    } catch (IOException e) {
      return -1;
    }
  }

  /** A counter or gauge of {@code /metrics}, summed over the series whose labels contain {@code labels}. */
  double metric(String name, String labels) throws IOException {
    double sum = 0;
    for (String line : get("/metrics").split("\n")) {
      if (line.startsWith(name + "{") && line.contains(labels)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  String get(String path) throws IOException {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Kills the sidecar with SIGKILL: no shutdown hook runs. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /** Freezes the sidecar (SIGSTOP), as a host under memory pressure or a debugger does. */
  void freeze() throws IOException, InterruptedException {
    signal("-STOP");
  }

  void thaw() throws IOException, InterruptedException {
    signal("-CONT");
  }

  private void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", signal, String.valueOf(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill " + signal + " failed");
    }
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  /** The pool kernels' pids (every process the sidecar started). */
  List<Long> kernelPids() {
    return process.descendants().map(ProcessHandle::pid).toList();
  }

  @Override
  public void close() {
    try {
      signal("-CONT");
    } catch (IOException | RuntimeException e) {
      // not running any more
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<ProcessHandle> kernels = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      kernels.forEach(ProcessHandle::destroyForcibly);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
