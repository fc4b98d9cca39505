package dev.kernelpool.k8s.testing;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real control plane for tests: etcd, kube-apiserver and kube-controller-manager v1.20 from
 * {@code ../shared/k8s} (found through {@code KERNEL_POOL_K8S_HOME} or the system property {@code
 * kernelpool.k8s.home}; {@code .ci/run} sets it), with RBAC on, quota admission and the quota
 * controller. Started on free loopback ports in about 5 s; there is no kubelet ({@link ApiKubelet}
 * plays one through the API).
 */
public final class RealCluster implements AutoCloseable {
  private final Path home;
  private final Path dir;
  private final Path bin;
  private final Map<String, String> env;

  private RealCluster(Path home, Path dir, Path bin, Map<String, String> env) {
    this.home = home;
    this.dir = dir;
    this.bin = bin;
    this.env = env;
  }

  /** The folder with the control plane's scripts and binaries, when one is given and usable. */
  public static Optional<Path> home() {
    return SharedPeer.home("kernelpool.k8s.home", "KERNEL_POOL_K8S_HOME", "start-cluster.sh", "install.sh");
  }

  /** Unpacks the binaries (once, into {@code target/k8s}) and starts a cluster in {@code dir}. */
  public static RealCluster start(Path home, Path dir) throws IOException, InterruptedException {
    return start(home, dir, Map.of());
  }

  /** As {@link #start(Path, Path)}, with {@code start-cluster.sh}'s settings (e.g. {@code APISERVER_BIND}). */
  public static RealCluster start(Path home, Path dir, Map<String, String> settings) throws IOException, InterruptedException {
    Path bin = Path.of(run(home, List.of(home.resolve("install.sh").toString(), Path.of("target", "k8s").toAbsolutePath().toString()),
        Map.of()).strip().lines().reduce((a, b) -> b).orElseThrow());
    Map<String, String> env0 = new HashMap<>(settings);
    env0.put("K8S_BIN_DIR", bin.toString());
    env0.put("ETCD_BIN", bin.resolve("etcd").toString());
    run(home, List.of(home.resolve("start-cluster.sh").toString(), dir.toString()), env0);
    Map<String, String> env = SharedPeer.env(dir.resolve("env"));
    return new RealCluster(home, dir, bin, env);
  }

  private static String run(Path home, List<String> command, Map<String, String> extra) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
    pb.environment().putAll(extra);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(command.get(0) + " failed: " + err);
    }
    return out;
  }

  public String url() {
    return env.get("K8S_URL");
  }

  /** A client with every right (system:masters). */
  public ApiClient admin(Duration timeout) throws IOException {
    ApiClient client = Config.fromConfig(dir.resolve("admin.kubeconfig").toString());
    client.setHttpClient(client.getHttpClient().newBuilder().readTimeout(timeout).callTimeout(timeout).build());
    return client;
  }

  /**
   * The kubeconfig of the service-account user {@code system:serviceaccount:kernel-pool:kernel-pool}:
   * no rights until RBAC grants them.
   */
  public Path serviceAccountKubeconfig() {
    return dir.resolve("kernel-pool.kubeconfig");
  }

  /** The etcd endpoint, for {@code etcdctl compact}. */
  public String etcdUrl() {
    return env.get("K8S_ETCD_URL");
  }

  /**
   * Compacts etcd's history up to its current revision ({@code etcdctl compact}): every watch
   * that must resume from before now is answered from the API server's watch cache or not at all.
   */
  public long compact() throws IOException, InterruptedException {
    String etcdctl = bin.resolve("etcdctl").toString();
    String status = run(home, List.of(etcdctl, "--endpoints", etcdUrl(), "endpoint", "status", "-w", "json"), Map.of());
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"revision\":(\\d+)").matcher(status);
    if (!m.find()) {
      throw new IOException("no revision in etcdctl's answer: " + status);
    }
    long revision = Long.parseLong(m.group(1));
    run(home, List.of(etcdctl, "--endpoints", etcdUrl(), "compact", Long.toString(revision)), Map.of());
    return revision;
  }

  /**
   * Starts a second kube-controller-manager, of the same binary and credentials, running the
   * given controllers (e.g. {@code deployment,replicaset}): {@code start-cluster.sh} runs only
   * those that quotas, namespaces and service accounts need, so a Deployment otherwise never gets
   * a pod. Closing it stops it (SIGTERM, then SIGKILL after 15 s); its log is {@code
   * controllers-NAMES.log} in {@link #dir()}.
   */
  public AutoCloseable startControllers(String controllers) throws IOException {
    Path log = dir.resolve("controllers-" + controllers.replace(',', '-') + ".log");
    Process p = new ProcessBuilder(bin.resolve("kube-controller-manager").toString(),
        "--kubeconfig", dir.resolve("kcm.kubeconfig").toString(), "--leader-elect=false",
        "--controllers", controllers, "--bind-address", "127.0.0.1", "--secure-port", "0", "--port", "0")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return () -> {
      p.destroy();
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    };
  }

  /** The folder this cluster's certificates, kubeconfigs and logs are in. */
  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    try {
      run(home, List.of(home.resolve("stop-cluster.sh").toString(), dir.toString()), Map.of());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
