package dev.kernelpool.bridge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Jupyter Enterprise Gateway 3.3.0, unmodified, run from its source tree with
 * jupyter_client 6.1.12 first on {@code PYTHONPATH} (EG 3.x needs jupyter_client &lt; 7). Found
 * from a folder holding {@code enterprise_gateway-3.3.0/} and {@code jupyter_client-6.1.12/}, as
 * {@code ../shared/vendor} does, or their pip-installed equivalent. Kernels come from EG's distributed mode on this host.
 */
public final class EnterpriseGatewayRunner implements AutoCloseable {
  public static final String COLD = "python_distributed";
  public static final String POOLED = "python_distributed_pooled";
  /** The process-proxy plugin's kernelspec: EG's cold argv, the plugin's class, the script kernelspec's pool. */
  public static final String PLUGIN = "python_distributed_plugin";
  /** The plugin's class for EG's distributed mode. */
  public static final String PLUGIN_CLASS = "kernel_pool_eg.distributed.PooledDistributedProcessProxy";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path log;
  private final EnterpriseGatewayClient client;
  private final String address;

  private EnterpriseGatewayRunner(Process process, Path log, String address) {
    this.process = process;
    this.log = log;
    this.address = address;
    this.client = new EnterpriseGatewayClient(address);
  }

  /**
   * Whether {@code home} holds EG's and jupyter_client's source trees: {@code
   * enterprise_gateway-3.3.0/} and {@code jupyter_client-6.1.12/}, as {@code ../shared/vendor}.
   */
  public static boolean usable(Path home) {
    return Files.isDirectory(home.resolve("enterprise_gateway-3.3.0")) && Files.isDirectory(home.resolve("jupyter_client-6.1.12"));
  }

  /** EG's own launcher for distributed mode, in its source tree. */
  public static Path launcher(Path home) {
    return home.resolve("enterprise_gateway-3.3.0/etc/kernel-launchers/python/scripts/launch_ipykernel.py");
  }

  /**
   * Writes EG's own {@code python_distributed} kernelspec (cold, as EG ships it, paths adapted)
   * and {@code python_distributed_pooled}: the same launch behind the pool's launch script, as
   * {@code examples/kernelspecs/python_distributed_pooled} has it.
   */
  public static Path writeKernelspecs(Path dir, Path home, Path launchScript, String sidecarUrl, Path tokenFile, String timeout)
      throws IOException {
    List<String> cold = List.of(LocalIpykernel.PYTHON, launcher(home).toString(),
        "--RemoteProcessProxy.kernel-id", "{kernel_id}",
        "--RemoteProcessProxy.response-address", "{response_address}",
        "--RemoteProcessProxy.public-key", "{public_key}",
        "--RemoteProcessProxy.port-range", "{port_range}",
        "--RemoteProcessProxy.spark-context-initialization-mode", "none");
    writeSpec(dir.resolve("kernels").resolve(COLD), "Python 3 (distributed)", DISTRIBUTED, cold, Map.of());
    // the script's settings on its command line: only the kernelspec sets those (a client's KERNEL_*
    // variables reach the launch environment after the kernelspec's env)
    List<String> pooled = new ArrayList<>(List.of(LocalIpykernel.PYTHON, "-I", "-S", launchScript.toString(),
        "--kernelspec", POOLED, "--url", sidecarUrl, "--token-file", tokenFile.toString(), "--timeout", timeout, "--"));
    pooled.addAll(cold);
    Map<String, String> pool = new LinkedHashMap<>();
    pool.put("KERNEL_POOL_URL", sidecarUrl);
    pool.put("KERNEL_POOL_TOKEN_FILE", tokenFile.toString());
    pool.put("KERNEL_POOL_TIMEOUT", timeout);
    writeSpec(dir.resolve("kernels").resolve(POOLED), "Python on this host (warm pool, EG distributed mode)", DISTRIBUTED, pooled, Map.of());
    pool.put("KERNEL_POOL_KERNELSPEC", POOLED);
    writeSpec(dir.resolve("kernels").resolve(PLUGIN), "Python on this host (warm pool, EG plugin)", PLUGIN_CLASS, cold, pool);
    return dir;
  }

  private static final String DISTRIBUTED = "enterprise_gateway.services.processproxies.distributed.DistributedProcessProxy";

  private static void writeSpec(Path dir, String displayName, String proxyClass, List<String> argv, Map<String, String> env)
      throws IOException {
    Files.createDirectories(dir);
    ObjectNode spec = JSON.createObjectNode().put("display_name", displayName).put("language", "python");
    ObjectNode proxy = spec.putObject("metadata").putObject("process_proxy");
    proxy.put("class_name", proxyClass);
    proxy.putObject("config").put("remote_hosts", "localhost");
    ObjectNode e = spec.putObject("env");
    env.forEach(e::put);
    ArrayNode a = spec.putArray("argv");
    argv.forEach(a::add);
    Files.writeString(dir.resolve("kernel.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(spec));
  }

  /** Starts EG on free ports with kernelspecs from {@code jupyterPath}; returns once it answers. */
  public static EnterpriseGatewayRunner start(Path home, Path jupyterPath, Path logDir, Map<String, String> extraEnv) throws IOException {
    return start(home, jupyterPath, logDir, extraEnv, List.of("-m", "enterprise_gateway"));
  }

  /**
   * Starts EG through {@code entry} (Python's arguments before EG's own: {@code -m
   * enterprise_gateway}, or a script that runs it, e.g. with a kubeconfig instead of the in-cluster
   * configuration its Kubernetes proxy loads when imported).
   */
  public static EnterpriseGatewayRunner start(Path home, Path jupyterPath, Path logDir, Map<String, String> extraEnv,
      List<String> entry) throws IOException {
    int port = freePort();
    int responsePort = freePort();
    Path log = logDir.resolve("enterprise-gateway-" + port + ".log");
    List<String> command = new ArrayList<>(List.of(LocalIpykernel.PYTHON));
    command.addAll(entry);
    command.addAll(List.of("--ip=127.0.0.1", "--port=" + port, "--port_retries=0"));
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    // a PYTHONPATH given (where the plugin is installed) comes before EG's own source trees
    String egPath = home.resolve("jupyter_client-6.1.12") + ":" + home.resolve("enterprise_gateway-3.3.0");
    env.put("JUPYTER_PATH", jupyterPath.toString());
    env.put("EG_RESPONSE_IP", "127.0.0.1");
    env.put("EG_RESPONSE_PORT", String.valueOf(responsePort));
    env.putAll(extraEnv);
    env.put("PYTHONPATH", extraEnv.containsKey("PYTHONPATH") ? extraEnv.get("PYTHONPATH") + ":" + egPath : egPath);
    EnterpriseGatewayRunner eg = new EnterpriseGatewayRunner(pb.start(), log, "127.0.0.1:" + port);
    try {
      long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (eg.process.isAlive() && !eg.client.kernelspecsAnswer() && System.nanoTime() < until) {
        eg.process.waitFor(100, TimeUnit.MILLISECONDS);
      }
      if (!eg.process.isAlive() || !eg.client.kernelspecsAnswer()) {
        throw new IllegalStateException("Enterprise Gateway did not start: " + eg.tail());
      }
    } catch (InterruptedException e) {
      eg.close();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while Enterprise Gateway started", e);
    } catch (RuntimeException e) {
      eg.close();
      throw e;
    }
    return eg;
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public EnterpriseGatewayClient client() {
    return client;
  }

  public String address() {
    return address;
  }

  /** The last lines of EG's log, for failure messages. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Kills EG at once (SIGKILL), as a crash or the kernel's OOM killer would: its kernels run on. */
  public void crash() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
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
