package dev.kernelpool.bridge.eg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kernelpool.bridge.backend.Scripts;
import dev.kernelpool.bridge.bench.EnterpriseGatewayClient;
import dev.kernelpool.bridge.bench.EnterpriseGatewayRunner;
import dev.kernelpool.bridge.config.SidecarConfig;
import dev.kernelpool.bridge.sidecar.Sidecar;
import dev.kernelpool.k8s.testing.RealNode;
import dev.kernelpool.k8s.testing.TestCluster;
import io.kubernetes.client.openapi.models.V1LimitRange;
import io.kubernetes.client.util.Yaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The documented Kubernetes setup on a test cluster: a user namespace with its quota and the
 * documented LimitRange, the sidecar of {@code examples/kubernetes/sidecar-config.yaml} and the
 * real Enterprise Gateway 3.3.0 with its own {@code KubernetesProcessProxy}, with three
 * kernelspecs: the launch script's ({@link #POOLED}), the plugin's ({@link #PLUGIN}) and EG's own
 * ({@link #UNPOOLED}). Paths and addresses are adapted to the test; nothing else is. What the
 * Kubernetes suite runs on, and what {@code NodeGatewayBench} measures.
 */
final class KubernetesGateway implements AutoCloseable {
  static final String NS = "team-a";
  static final String POOLED = "python_kubernetes_pooled";
  /** The process-proxy plugin's kernelspec: EG's own argv, {@code kernel_pool_eg.k8s.PooledKubernetesProcessProxy}. */
  static final String PLUGIN = "python_kubernetes_plugin";
  static final String UNPOOLED = "python_kubernetes";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path EXAMPLES = Path.of("..", "examples");

  /**
   * What kernels request and where they run.
   *
   * @param quotaCpu the namespace's cpu quota (the pool takes at most a tenth of it)
   * @param cpu what the LimitRange gives a cold pod and the sidecar's kernelspec asks (documented: 1)
   * @param bigCpu what a launch with its own resources asks
   */
  record Sizes(String quotaCpu, String cpu, String memory, String bigCpu, String bigMemory) {
    static final Sizes DOCUMENTED = new Sizes("100", "1", "2Gi", "2", "3Gi");
    /**
     * A real node has two cores: the pool's budget (a tenth of the quota: 1 cpu) holds two kernels of
     * each of the four profiles the suite teaches it (two kernelspecs, two sizes), with room left for
     * the users' kernels.
     */
    static final Sizes NODE = new Sizes("10", "50m", "256Mi", "150m", "384Mi");

    long cpuMillis() {
      return dev.kernelpool.core.resource.Quantity.parseMilli(cpu);
    }

    long bigCpuMillis() {
      return dev.kernelpool.core.resource.Quantity.parseMilli(bigCpu);
    }
  }

  /**
   * @param pooledImage the image of the pooled kernelspecs (and so of the pool's pods)
   * @param unpooledImage the image of EG's own kernelspec
   * @param pollInterval EG's {@code EG_POLL_INTERVAL}, seconds; empty: EG's default
   * @param shortLease the pool's leader Lease at 3 s (a suite's speed) rather than its documented 15 s
   */
  record Options(Sizes sizes, String pooledImage, String unpooledImage, String pollInterval, boolean shortLease) {
    /** The suite's: EG's documented image (on a real node: the node's kernel image) for all three kernelspecs. */
    static Options of(Sizes sizes, RealNode node) {
      String image = node == null ? "elyra/kernel-py:3.3.0" : node.kernelImage();
      return new Options(sizes, image, image, "0.1", true);
    }
  }

  private final Path home;
  private final Path dir;
  private final Path kubeconfig;
  private final RealNode node;
  private final Sidecar sidecar;
  private EnterpriseGatewayRunner eg;

  private KubernetesGateway(Path home, Path dir, Path kubeconfig, RealNode node, Sidecar sidecar) {
    this.home = home;
    this.dir = dir;
    this.kubeconfig = kubeconfig;
    this.node = node;
    this.sidecar = sidecar;
  }

  /** The user namespace {@link #NS}: its quota and the documented LimitRange, without which EG's cold pods fail the quota's admission. */
  static void namespace(TestCluster cluster, Sizes sizes) throws Exception {
    cluster.ops().namespace(NS, Map.of());
    cluster.ops().quota(NS, "compute", Map.of("requests.cpu", sizes.quotaCpu(), "requests.memory", "400Gi", "pods", "1000"));
    V1LimitRange limitRange = Yaml.loadAs(EXAMPLES.resolve("kubernetes/limitrange.yaml").toFile(), V1LimitRange.class);
    limitRange.getMetadata().setNamespace(NS);
    limitRange.getSpec().getLimits().get(0).setDefaultRequest(Map.of(
        "cpu", io.kubernetes.client.custom.Quantity.fromString(sizes.cpu()),
        "memory", io.kubernetes.client.custom.Quantity.fromString(sizes.memory())));
    cluster.ops().core().createNamespacedLimitRange(NS, limitRange).execute();
  }

  /**
   * Starts the sidecar on {@code cluster} and EG, which acts with {@code kubeconfig}; pods run on
   * {@code node} (null: the cluster's kubelet stand-in runs them as local kernels).
   */
  static KubernetesGateway start(Path home, Path dir, TestCluster cluster, RealNode node, Path kubeconfig, Options options)
      throws Exception {
    Sidecar sidecar = Sidecar.start(SidecarConfig.parseYaml(documentedSidecarConfig(dir, cluster, node, options)), Clock.systemUTC());
    KubernetesGateway gateway = new KubernetesGateway(home, dir, kubeconfig, node, sidecar);
    try {
      gateway.writeKernelspecs(options);
      gateway.startEg(options.pollInterval());
      return gateway;
    } catch (Exception e) {
      try {
        gateway.close();
      } catch (RuntimeException c) {
        e.addSuppressed(c);
      }
      throw e;
    }
  }

  Sidecar sidecar() {
    return sidecar;
  }

  EnterpriseGatewayRunner eg() {
    return eg;
  }

  EnterpriseGatewayClient client() {
    return eg.client();
  }

  /** (Re)starts EG at {@code pollInterval} (seconds; empty: EG's default), against the same sidecar and kernelspecs. */
  void startEg(String pollInterval) throws Exception {
    startEg(pollInterval, Map.of());
  }

  /** Kills EG at once, as a crash would: its kernels' pods run on. */
  void crashEg() throws InterruptedException {
    eg.crash();
    eg = null;
  }

  /** The same, with EG settings of its own ({@code EG_*} variables). */
  void startEg(String pollInterval, Map<String, String> env) throws Exception {
    if (eg != null) {
      eg.close();
      eg = null;
    }
    // EG's Kubernetes proxy loads the in-cluster configuration when imported: outside a cluster,
    // run EG with the kubeconfig instead (../shared/vendor/README.md).
    Path runner = dir.resolve("eg_outside_cluster.py");
    Files.writeString(runner, String.join("\n",
        "import runpy, sys",
        "from kubernetes import config",
        "config.load_incluster_config = lambda *args, **kwargs: config.load_kube_config()",
        "sys.argv[0] = 'enterprise_gateway'",
        "runpy.run_module('enterprise_gateway', run_name='__main__', alter_sys=True)", ""));
    Map<String, String> egEnv = new HashMap<>(Map.of(
        "KUBECONFIG", kubeconfig.toString(),
        "EG_INHERITED_ENVS", "KUBECONFIG",
        "EG_NAMESPACE", TestCluster.POOL_NAMESPACE,
        "PYTHONPATH", PluginInstall.into(dir).toString()));
    if (!pollInterval.isEmpty()) {
      egEnv.put("EG_POLL_INTERVAL", pollInterval);
    }
    if (node != null) {
      egEnv.put("EG_RESPONSE_IP", node.gateway()); // where EG's kernel pods report: the only address pods reach
    } else {
      // the kubelet stand-in runs EG's pods on the host's network, not in a pod's own: their ports,
      // picked by EG's launcher and bound by the kernel a moment later, must lie where the host's
      // outgoing connections cannot take them first (a cold kernel died of that, "Address already in use")
      egEnv.put("EG_PORT_RANGE", SidecarProcess.EG_PORTS);
    }
    egEnv.putAll(env);
    eg = EnterpriseGatewayRunner.start(home, dir, dir, egEnv, List.of(runner.toString()));
  }

  /** The sidecar.yaml of examples/kubernetes/sidecar-config.yaml, with this test's addresses. */
  private static String documentedSidecarConfig(Path dir, TestCluster cluster, RealNode node, Options options) throws Exception {
    JsonNode configMap = YAML.readTree(Files.readString(EXAMPLES.resolve("kubernetes/sidecar-config.yaml")).split("\n---\n")[0]);
    ObjectNode config = (ObjectNode) YAML.readTree(configMap.path("data").path("sidecar.yaml").asText());
    config.remove("tokenFile");
    config.putObject("http").put("host", "127.0.0.1").put("port", 0);
    config.putObject("responseListener").put("host", node == null ? "127.0.0.1" : node.gateway()).put("port", 0);
    for (JsonNode spec : config.path("kernelspecs")) {
      ((ObjectNode) spec).put("image", options.pooledImage());
      ((ObjectNode) spec.path("resources")).put("cpu", options.sizes().cpu()).put("memory", options.sizes().memory());
    }
    config.putObject("local").put("workDir", dir.resolve("sidecar").toString());
    ObjectNode kubernetes = (ObjectNode) config.path("kubernetes");
    JsonNode connection = YAML.readTree("{" + cluster.sidecarConnection() + "}");
    connection.properties().forEach(e -> kubernetes.set(e.getKey(), e.getValue()));
    // the sidecar's own namespace, where the shipped RBAC's Role is bound on the real server
    kubernetes.put("identity", "replica-0").put("leaseNamespace", TestCluster.POOL_NAMESPACE).put("resync", "2s").put("debounce", "50ms");
    if (options.shortLease()) {
      kubernetes.put("leaseDuration", "3s").put("renewDeadline", "2s").put("retryPeriod", "300ms");
    }
    return YAML.writeValueAsString(config);
  }

  private void writeKernelspecs(Options options) throws Exception {
    Path script = Scripts.extract(Scripts.LAUNCH_SCRIPT, dir.resolve("scripts"));
    Path egScripts = home.resolve("enterprise_gateway-3.3.0/etc/kernel-launchers/kubernetes/scripts");
    for (String pooled : List.of(POOLED, PLUGIN)) {
      // As each of EG's kernelspecs, a pooled one carries its own copy of EG's launcher and pod
      // template: EG's launcher names the kernelspec (KERNEL_NAME) after the folder it sits in.
      Path target = Files.createDirectories(dir.resolve("kernels").resolve(pooled).resolve("scripts"));
      Files.copy(egScripts.resolve("launch_kubernetes.py"), target.resolve("launch_kubernetes.py"));
      Files.copy(egScripts.resolve("kernel-pod.yaml.j2"), target.resolve("kernel-pod.yaml.j2"));
      Path launcher = target.resolve("launch_kubernetes.py");
      String spec = Files.readString(EXAMPLES.resolve("kernelspecs").resolve(pooled).resolve("kernel.json"))
          .replace("http://127.0.0.1:8765", sidecar.url())
          .replace("/var/run/kernel-pool/token", sidecar.tokenFile().toString())
          .replace("/usr/local/share/kernel-pool/kernel-pool-launch.py", script.toString())
          .replace("/usr/local/share/jupyter/kernels/" + pooled + "/scripts/launch_kubernetes.py", launcher.toString())
          .replace("elyra/kernel-py:3.3.0", options.pooledImage())
          .replace("\"python3\", \"-I\"", "\"/usr/bin/python3\", \"-I\"")
          .replace("\"python\", ", "\"/usr/bin/python3\", ");
      Files.writeString(target.getParent().resolve("kernel.json"), spec);
    }
    // EG's own kernelspec, as EG ships it (paths adapted): a kernelspec without a pool.
    Path own = Files.createDirectories(dir.resolve("kernels").resolve(UNPOOLED).resolve("scripts"));
    Files.copy(egScripts.resolve("launch_kubernetes.py"), own.resolve("launch_kubernetes.py"));
    Files.copy(egScripts.resolve("kernel-pod.yaml.j2"), own.resolve("kernel-pod.yaml.j2"));
    Files.writeString(own.getParent().resolve("kernel.json"),
        Files.readString(home.resolve("enterprise_gateway-3.3.0/etc/kernelspecs").resolve(UNPOOLED).resolve("kernel.json"))
            // the interpreter of argv only: "language": "python" stays (EG's bootstrap in the kernel image reads it)
            .replace("\"argv\": [\n    \"python\",", "\"argv\": [\n    \"/usr/bin/python3\",")
            .replace("elyra/kernel-py:VERSION", options.unpooledImage())
            .replace("/usr/local/share/jupyter/kernels/" + UNPOOLED + "/scripts/launch_kubernetes.py", own.resolve("launch_kubernetes.py").toString()));
  }

  @Override
  public void close() {
    try {
      if (eg != null) {
        eg.close();
      }
    } finally {
      sidecar.close();
    }
  }
}
