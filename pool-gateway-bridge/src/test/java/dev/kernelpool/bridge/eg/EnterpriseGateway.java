package dev.kernelpool.bridge.eg;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kernelpool.bridge.bench.LocalIpykernel;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Jupyter Enterprise Gateway 3.3.0, unmodified, run from its source tree with
 * jupyter_client 6.1.12 first on {@code PYTHONPATH} (EG 3.x needs jupyter_client &lt; 7). Found
 * through {@code KERNEL_POOL_EG_HOME} (environment) or {@code kernelpool.eg.home} (system
 * property): a folder holding {@code enterprise_gateway-3.3.0/} and {@code jupyter_client-6.1.12/},
 * as {@code ../shared/vendor} does. Kernels come from EG's distributed mode on this host.
 */
final class EnterpriseGateway implements AutoCloseable {
  static final String COLD = "python_distributed";
  static final String POOLED = "python_distributed_pooled";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path log;
  private final GatewayClient client;
  private final String address;

  private EnterpriseGateway(Process process, Path log, String address) {
    this.process = process;
    this.log = log;
    this.address = address;
    this.client = new GatewayClient(address);
  }

  /** The vendored EG's folder, or the test is skipped with one line saying how to give it. */
  static Path home() {
    String configured = Optional.ofNullable(System.getProperty("kernelpool.eg.home"))
        .orElse(System.getenv("KERNEL_POOL_EG_HOME"));
    boolean usable = configured != null && !configured.isBlank()
        && Files.isDirectory(Path.of(configured, "enterprise_gateway-3.3.0"))
        && Files.isDirectory(Path.of(configured, "jupyter_client-6.1.12"));
    if (!usable) {
      String line = "Enterprise Gateway suite skipped: set KERNEL_POOL_EG_HOME to a folder with enterprise_gateway-3.3.0/"
          + " and jupyter_client-6.1.12/ (../shared/vendor; .ci/run does) - was: " + configured;
      System.err.println(line);
      Assumptions.abort(line);
    }
    return Path.of(configured).toAbsolutePath();
  }

  /** EG's own launcher for distributed mode, in its source tree. */
  static Path launcher(Path home) {
    return home.resolve("enterprise_gateway-3.3.0/etc/kernel-launchers/python/scripts/launch_ipykernel.py");
  }

  /**
   * Writes EG's own {@code python_distributed} kernelspec (cold, as EG ships it, paths adapted)
   * and {@code python_distributed_pooled}: the same launch behind the pool's launch script, as
   * {@code examples/kernelspecs/python_distributed_pooled} has it.
   */
  static Path writeKernelspecs(Path dir, Path home, Path launchScript, String sidecarUrl, Path tokenFile, String timeout)
      throws IOException {
    List<String> cold = List.of(LocalIpykernel.PYTHON, launcher(home).toString(),
        "--RemoteProcessProxy.kernel-id", "{kernel_id}",
        "--RemoteProcessProxy.response-address", "{response_address}",
        "--RemoteProcessProxy.public-key", "{public_key}",
        "--RemoteProcessProxy.port-range", "{port_range}",
        "--RemoteProcessProxy.spark-context-initialization-mode", "none");
    writeSpec(dir.resolve("kernels").resolve(COLD), "Python 3 (distributed)", cold, Map.of());
    List<String> pooled = new ArrayList<>(List.of(LocalIpykernel.PYTHON, "-I", "-S", launchScript.toString(),
        "--kernelspec", POOLED, "--"));
    pooled.addAll(cold);
    writeSpec(dir.resolve("kernels").resolve(POOLED), "Python 3 (warm pool)", pooled,
        Map.of("KERNEL_POOL_URL", sidecarUrl, "KERNEL_POOL_TOKEN_FILE", tokenFile.toString(), "KERNEL_POOL_TIMEOUT", timeout));
    return dir;
  }

  private static void writeSpec(Path dir, String displayName, List<String> argv, Map<String, String> env) throws IOException {
    Files.createDirectories(dir);
    ObjectNode spec = JSON.createObjectNode().put("display_name", displayName).put("language", "python");
    ObjectNode proxy = spec.putObject("metadata").putObject("process_proxy");
    proxy.put("class_name", "enterprise_gateway.services.processproxies.distributed.DistributedProcessProxy");
    proxy.putObject("config").put("remote_hosts", "localhost");
    ObjectNode e = spec.putObject("env");
    env.forEach(e::put);
    ArrayNode a = spec.putArray("argv");
    argv.forEach(a::add);
    Files.writeString(dir.resolve("kernel.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(spec));
  }

  /** Starts EG on free ports with kernelspecs from {@code jupyterPath}; returns once it answers. */
  static EnterpriseGateway start(Path home, Path jupyterPath, Path logDir, Map<String, String> extraEnv) throws IOException {
    int port = freePort();
    int responsePort = freePort();
    Path log = logDir.resolve("enterprise-gateway-" + port + ".log");
    ProcessBuilder pb = new ProcessBuilder(LocalIpykernel.PYTHON, "-m", "enterprise_gateway",
        "--ip=127.0.0.1", "--port=" + port, "--port_retries=0")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("PYTHONPATH", home.resolve("jupyter_client-6.1.12") + ":" + home.resolve("enterprise_gateway-3.3.0"));
    env.put("JUPYTER_PATH", jupyterPath.toString());
    env.put("EG_RESPONSE_IP", "127.0.0.1");
    env.put("EG_RESPONSE_PORT", String.valueOf(responsePort));
    env.putAll(extraEnv);
    EnterpriseGateway eg = new EnterpriseGateway(pb.start(), log, "127.0.0.1:" + port);
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> !eg.process.isAlive() || eg.client.kernelspecsAnswer());
      if (!eg.process.isAlive()) {
        throw new IllegalStateException("Enterprise Gateway did not start: " + eg.tail());
      }
    } catch (RuntimeException e) {
      eg.close();
      throw e;
    }
    return eg;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  GatewayClient client() {
    return client;
  }

  String address() {
    return address;
  }

  /** The last lines of EG's log, for failure messages. */
  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Stops EG as an operator does (SIGTERM: it shuts its kernels down), then makes sure. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
