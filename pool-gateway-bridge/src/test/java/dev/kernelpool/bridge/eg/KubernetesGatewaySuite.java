package dev.kernelpool.bridge.eg;

import dev.kernelpool.bridge.eg.KubernetesGateway.Sizes;
import dev.kernelpool.k8s.testing.ClusterExtension.ClassFolder;
import dev.kernelpool.k8s.testing.Closing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kernelpool.bridge.bench.EnterpriseGatewayClient;
import dev.kernelpool.bridge.bench.EnterpriseGatewayClient.Executed;
import dev.kernelpool.bridge.bench.EnterpriseGatewayClient.Started;
import dev.kernelpool.bridge.bench.EnterpriseGatewayRunner;
import dev.kernelpool.bridge.sidecar.Sidecar;
import dev.kernelpool.bridge.testing.KernelPodRuntime;
import dev.kernelpool.core.snapshot.MemberState;
import dev.kernelpool.k8s.testing.RealNode;
import dev.kernelpool.k8s.testing.RealTestCluster;
import dev.kernelpool.k8s.testing.TestCluster;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Pod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real Enterprise Gateway 3.3.0 with its own {@code KubernetesProcessProxy}, written once and
 * run on both API servers ({@link KubernetesGatewayIT} in-memory, {@link RealKubernetesGatewayIT}
 * on the real control plane, where EG acts as the administrator and the sidecar as the
 * service-account user with the shipped RBAC), whose kubelet runs pods as real kernels: pool pods
 * behind the pool's launcher, and the pods EG's own {@code launch_kubernetes.py} creates on a miss
 * behind EG's {@code launch_ipykernel.py}, as EG's kernel images do. The sidecar and the kernelspec are the
 * documented ones ({@code examples/kubernetes/sidecar-config.yaml},
 * {@code examples/kernelspecs/python_kubernetes_pooled}), adapted in paths and addresses only.
 * Clients send what JupyterHub sends: {@code KERNEL_USERNAME} and {@code KERNEL_NAMESPACE}.
 */
abstract class KubernetesGatewaySuite {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NS = KubernetesGateway.NS;
  private static final String POOLED = KubernetesGateway.POOLED;
  private static final String PLUGIN = KubernetesGateway.PLUGIN;
  private static final String UNPOOLED = KubernetesGateway.UNPOOLED;
  private static final Map<String, String> ALICE = Map.of("KERNEL_USERNAME", "alice", "KERNEL_NAMESPACE", NS);

  // EG and the sidecar start once per class (in @BeforeAll, as EG takes seconds to start): hence
  // static, set from the concrete class's ClusterExtension and reset when the class ends
  private static Path dir;
  private static TestCluster cluster;
  /** The real node this suite's pods run on, or null where a kubelet stand-in runs them as local kernels. */
  private static RealNode node;
  /** What kernels request: the documented sizes, or sizes that fit a real node's two cores. */
  private static Sizes sizes;
  private static KubernetesGateway gateway;
  private static Sidecar sidecar;
  private static EnterpriseGatewayRunner eg;
  private static EnterpriseGatewayClient client;

  /** The runtime a kubelet stand-in runs pods with: pool pods, and EG's cold pods behind EG's launcher. */
  static KernelPodRuntime kernels(Path pods) {
    return new KernelPodRuntime(pods, Optional.of(EnterpriseGatewayRunner.launcher(EnterpriseGateway.home())));
  }

  /** Starts EG and the sidecar on the class's cluster. */
  @BeforeAll
  static void start(TestCluster started, ClassFolder folder) throws Exception {
    Path home = EnterpriseGateway.home();
    dir = Files.createDirectories(folder.path().resolve("gateway"));
    cluster = started;
    node = started instanceof RealTestCluster real ? real.node().orElse(null) : null;
    sizes = node == null ? Sizes.DOCUMENTED : Sizes.NODE;
    KubernetesGateway.namespace(cluster, sizes);
    gateway = KubernetesGateway.start(home, dir, cluster, node, cluster.adminKubeconfig(dir), KubernetesGateway.Options.of(sizes, node));
    sidecar = gateway.sidecar();
    eg = gateway.eg();
    client = gateway.client();
  }

  /** Stops EG and the sidecar; the extension stops the cluster after this. */
  @AfterAll
  static void stop() throws Exception {
    try {
      Closing.all(gateway);
    } finally {
      gateway = null;
      sidecar = null;
      eg = null;
      client = null;
      cluster = null;
      node = null;
      sizes = null;
      dir = null;
    }
  }

  /**
   * On a real node, what shows that EG's kernel ran in {@code pod}'s container: the kernel's host
   * name is the pod's, its cgroup is the pod's, the image's user and files are there, and EG talks to
   * it at the pod's own address.
   */
  private static void assertRanIn(String kernelId, V1Pod listed) throws Exception {
    if (node == null) {
      return;
    }
    V1Pod pod = cluster.ops().core().readNamespacedPod(listed.getMetadata().getName(), NS).execute();
    String seen = client.run(kernelId, "import os, socket; print(socket.gethostname(), os.getuid(), "
        + "os.path.exists('/usr/local/bin/bootstrap-kernel.sh'))");
    assertThat(seen).as("host name, user and a file of the kernel image").isEqualTo(pod.getMetadata().getName() + " 1000 True");
    String cgroup = client.run(kernelId, "print([l for l in open('/proc/self/cgroup') if ':memory:' in l][0].strip())");
    assertThat(cgroup).as("the kernel's cgroup is its pod's").contains("pod" + pod.getMetadata().getUid());
    assertThat(pod.getStatus().getContainerStatuses().get(0).getImage()).isEqualTo(node.kernelImage());
    assertThat(pod.getStatus().getPodIP()).startsWith(node.gateway().substring(0, node.gateway().lastIndexOf('.') + 1));
  }

  /** Each pod of the namespace with its phase and its container's state: what a failed launch needs explained. */
  private static String podStates() throws ApiException {
    StringBuilder out = new StringBuilder();
    for (V1Pod p : cluster.ops().pods(NS, "")) {
      out.append("\n  ").append(p.getMetadata().getName()).append(' ').append(p.getMetadata().getLabels())
          .append(' ').append(p.getStatus() == null ? "" : p.getStatus().getPhase());
      if (p.getStatus() != null && p.getStatus().getContainerStatuses() != null) {
        p.getStatus().getContainerStatuses().forEach(c -> out.append(' ').append(c.getState()));
        if (node != null && "Failed".equals(p.getStatus().getPhase())) {
          try {
            String log = cluster.ops().core().readNamespacedPodLog(p.getMetadata().getName(), NS).tailLines(30).execute();
            out.append("\n  its log:\n").append(log);
          } catch (ApiException e) {
            out.append(" (no log: HTTP ").append(e.getCode()).append(')');
          }
        }
      }
    }
    return out.toString();
  }

  private static JsonNode pools() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(sidecar.url() + "/pools")).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  private static List<V1Pod> kernelPods(String kernelId) throws ApiException {
    return cluster.ops().pods(NS, "kernel_id=" + kernelId + ",component=kernel").stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  private static String requests(V1Pod pod, String resource) {
    return pod.getSpec().getContainers().get(0).getResources().getRequests().get(resource).toSuffixedString();
  }

  /**
   * Awaits {@link #warmOf(String, long)} for up to 2 minutes; a timeout says what the sidecar planned
   * and holds ({@code /pools}: targets, budget, warm and starting per profile).
   */
  private static void awaitWarm(String kernelspec, long cpuMillis) throws Exception {
    try {
      await().atMost(Duration.ofSeconds(120)).until(() -> warmOf(kernelspec, cpuMillis));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("no warm kernel of " + kernelspec + " at " + cpuMillis + "m cpu in 2 min; /pools: " + pools()
          + "\nregistry: " + sidecar.registry().all(), e);
    }
  }

  /** A warm kernel of {@code kernelspec} whose profile asks {@code cpuMillis}: what a launch of that profile is served from. */
  private static boolean warmOf(String kernelspec, long cpuMillis) {
    return warmOf(kernelspec, cpuMillis, cpuMillis == sizes.bigCpuMillis() ? sizes.bigMemory() : sizes.memory());
  }

  /** A warm kernel of exactly that cpu and memory: another test's profile of the same cpu does not count. */
  private static boolean warmOf(String kernelspec, long cpuMillis, String memory) {
    return sidecar.registry().all().stream().anyMatch(k -> k.state() == MemberState.WARM
        && k.profile().kernelspec().equals(kernelspec) && k.profile().resources().milli("cpu") == cpuMillis
        && k.profile().resources().milli("memory") == dev.kernelpool.core.resource.Quantity.parseMilli(memory));
  }

  /** For the launch script's kernelspec and the process-proxy plugin's. */
  @ParameterizedTest
  @ValueSource(strings = {POOLED, PLUGIN})
  void theDocumentedSetupStartsColdThenLearnsAndServesWarmAndEgDrivesTheWarmKernelLikeAColdOne(String kernelspec) throws Exception {
    // No launch yet: no pool (the documented configuration lists no namespaces). The first launch
    // is a real cold start: EG's launch_kubernetes.py creates the pod, EG's launcher runs in it.
    Started cold = client.start(kernelspec, ALICE);
    assertThat(cold.status()).as("EG: %s\n%s", cold.body(), eg.tail()).isEqualTo(201);
    assertThat(client.run(cold.kernelId(), "6 * 7")).isEqualTo("42");
    assertThat(kernelPods(cold.kernelId())).hasSize(1)
        .allSatisfy(p -> assertThat(p.getMetadata().getLabels().get("source")).isEqualTo("kernel-pod.yaml"));
    assertRanIn(cold.kernelId(), kernelPods(cold.kernelId()).get(0));
    assertThat(client.delete(cold.kernelId())).isEqualTo(204);
    await().atMost(Duration.ofSeconds(30)).until(() -> kernelPods(cold.kernelId()).isEmpty());

    // The launch taught the pool: it fills the namespace, and the next launch is served warm. (A warm
    // kernel of another test's profile, 2 cpu, does not count: a CI run launched before this one's.)
    awaitWarm(kernelspec, sizes.cpuMillis());
    long hits = sidecar.metrics().claims(NS, kernelspec, "hit");
    Started s = client.start(kernelspec, ALICE);

    assertThat(s.status()).as("EG: %s\n%s", s.body(), eg.tail()).isEqualTo(201);
    // a hit is counted once EG has taken the connection info, which may be just after EG's 201
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(sidecar.metrics().claims(NS, kernelspec, "hit"))
        .as("served warm; EG:\n%s\npools: %s", eg.tail(), sidecar.registry().all()).isEqualTo(hits + 1));
    V1Pod claimed = kernelPods(s.kernelId()).get(0);
    assertRanIn(s.kernelId(), claimed);
    assertThat(client.run(s.kernelId(), "import os; print(os.environ['KERNEL_USERNAME'], os.environ['KERNEL_ID'], os.environ['KERNEL_POD_NAME'])"))
        .as("KERNEL_POD_NAME names the pod that exists").isEqualTo("alice " + s.kernelId() + " " + claimed.getMetadata().getName());
    assertThat(claimed.getMetadata().getAnnotations().get("cluster-autoscaler.kubernetes.io/safe-to-evict"))
        .as("EG's template annotation").isEqualTo("false");
    assertThat(claimed.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(1000);
    assertThat(claimed.getSpec().getServiceAccountName()).isEqualTo("default");
    CompletableFuture<String> printed = new CompletableFuture<>();
    CompletableFuture<Executed> sleeping = client.executeAsync(s.kernelId(), "import time; print('in', flush=True); time.sleep(60)",
        Duration.ofSeconds(60), printed);
    // the cell's own code runs once it prints: at EG's "busy" the kernel may still ignore SIGINT (lost in a busy CI run)
    assertThat(printed.get(10, TimeUnit.SECONDS)).isEqualTo("in\n");
    assertThat(client.interrupt(s.kernelId())).isEqualTo(204);
    assertThat(sleeping.get(20, TimeUnit.SECONDS).error()).isEqualTo("KeyboardInterrupt");
    assertThat(kernelPods(s.kernelId())).hasSize(1);


    // Restart: EG deletes the pod by its real name and launches again, under the same kernel id.
    awaitWarm(kernelspec, sizes.cpuMillis());
    String before = claimed.getMetadata().getName();
    assertThat(client.restart(s.kernelId())).isEqualTo(200);
    assertThat(client.run(s.kernelId(), "2 + 3")).isEqualTo("5");
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.ops().pods(NS, "").stream()
        .noneMatch(p -> p.getMetadata().getName().equals(before)));
    // A kernel that dies is restarted by EG's auto-restart into a working one.
    awaitWarm(kernelspec, sizes.cpuMillis());
    client.executeAsync(s.kernelId(), "import os; os._exit(1)", Duration.ofSeconds(5)); // a kernel that exits sends no reply
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
        .until(() -> client.execute(s.kernelId(), "6 * 7", Duration.ofSeconds(5)).text().equals("42"));

    assertThat(client.delete(s.kernelId())).isEqualTo(204);
    await().atMost(Duration.ofSeconds(30)).until(() -> kernelPods(s.kernelId()).isEmpty());
    assertThat(cluster.ops().namespaceExists(NS)).as("the user's namespace stays").isTrue();
    awaitWarm(kernelspec, sizes.cpuMillis()); // the pool refills
  }

  @ParameterizedTest
  @ValueSource(strings = {POOLED, PLUGIN})
  void aLaunchWithItsOwnResourcesStartsColdUntilThePoolLearnsItsProfileThenIsServedWarmAndResized(String kernelspec) throws Exception {
    Map<String, String> big = Map.of("KERNEL_USERNAME", "alice", "KERNEL_NAMESPACE", NS, "KERNEL_CPUS", sizes.bigCpu(),
        "KERNEL_MEMORY", sizes.bigMemory());
    long hits = sidecar.metrics().claims(NS, kernelspec, "hit");

    Started s = client.start(kernelspec, big);

    assertThat(s.status()).as("EG: %s\n%s", s.body(), eg.tail()).isEqualTo(201);
    assertThat(sidecar.metrics().claims(NS, kernelspec, "hit")).as("no pool of that profile yet: cold").isEqualTo(hits);
    V1Pod pod = kernelPods(s.kernelId()).get(0);
    assertThat(requests(pod, "cpu")).isEqualTo(sizes.bigCpu());
    assertThat(client.run(s.kernelId(), "1 + 1")).isEqualTo("2");
    assertThat(client.delete(s.kernelId())).isEqualTo(204);

    // The launch taught the pool that profile: the next such launch is served warm.
    awaitWarm(kernelspec, sizes.bigCpuMillis());
    Started warm = client.start(kernelspec, big);
    assertThat(warm.status()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(sidecar.metrics().claims(NS, kernelspec, "hit"))
        .as("served warm").isEqualTo(hits + 1));
    V1Pod resized = kernelPods(warm.kernelId()).get(0);
    assertThat(resized.getMetadata().getLabels().get("source")).as("a pool pod").isNotEqualTo("kernel-pod.yaml");
    // what the launch asked for on both servers: resized at the claim where the cluster can (1.33+),
    // started at its full requests where it cannot (the real server here is 1.20)
    assertThat(requests(resized, "cpu")).isEqualTo(sizes.bigCpu());
    assertThat(requests(resized, "memory")).isEqualTo(sizes.bigMemory());
    assertRanIn(warm.kernelId(), resized);
    assertThat(client.run(warm.kernelId(), "1 + 1")).isEqualTo("2");
    assertThat(client.delete(warm.kernelId())).isEqualTo(204);
  }

  /**
   * EG with kernel session persistence ({@code EG_AVAILABILITY_MODE=standalone}) is killed while a
   * warm kernel of the plugin runs; its pod runs on, and the EG started again loads the session (the
   * plugin's class with EG's own {@code KubernetesProcessProxy} information: the pod's name and
   * address) and drives the same kernel, its state intact, then deletes its pod.
   */
  @Test
  void aWarmPluginKernelOutlivesEgsCrashAndTheRestartedEgDrivesItFromItsPersistedSession() throws Exception {
    Map<String, String> persistent = Map.of("EG_AVAILABILITY_MODE", "standalone",
        "EG_PERSISTENCE_ROOT", Files.createDirectories(dir.resolve("eg-sessions")).toString());
    // a profile of this test's own (the memory of the launch with its own resources, the usual cpu),
    // so the pool it teaches serves no other test's first launch, which must be cold
    Map<String, String> alice = Map.of("KERNEL_USERNAME", "alice", "KERNEL_NAMESPACE", NS, "KERNEL_MEMORY", sizes.bigMemory());
    restartEg(persistent);
    try {
      Started s = client.start(PLUGIN, alice);
      assertThat(s.status()).as("EG: %s\n%s", s.body(), eg.tail()).isEqualTo(201);
      if ("kernel-pod.yaml".equals(kernelPods(s.kernelId()).get(0).getMetadata().getLabels().get("source"))) {
        // the pool had not learned this profile yet (a rerun in the same cluster may find it): this cold launch teaches it
        String cold = s.kernelId();
        assertThat(client.delete(cold)).isEqualTo(204);
        await().atMost(Duration.ofSeconds(30)).until(() -> kernelPods(cold).isEmpty());
        await().atMost(Duration.ofSeconds(120)).until(() -> warmOf(PLUGIN, sizes.cpuMillis(), sizes.bigMemory()));
        s = client.start(PLUGIN, alice);
        assertThat(s.status()).isEqualTo(201);
      }
      String kernelId = s.kernelId();
      V1Pod pod = kernelPods(kernelId).get(0);
      assertThat(pod.getMetadata().getLabels().get("source")).as("a pool pod").isNotEqualTo("kernel-pod.yaml");
      assertThat(client.run(kernelId, "x = 6 * 7; x")).isEqualTo("42");

      gateway.crashEg();
      assertThat(kernelPods(kernelId)).as("the pod runs on without EG").singleElement()
          .satisfies(p -> assertThat(p.getMetadata().getName()).isEqualTo(pod.getMetadata().getName()));
      restartEg(persistent);

      assertThat(client.status(kernelId)).as("the session was loaded: %s", eg.tail()).isEqualTo(200);
      assertThat(client.run(kernelId, "x")).as("the same kernel, its state intact").isEqualTo("42");
      assertThat(client.delete(kernelId)).isEqualTo(204);
      await().atMost(Duration.ofSeconds(30)).until(() -> kernelPods(kernelId).isEmpty());
    } finally {
      restartEg(Map.of());
    }
  }

  /** EG started again (as the suite starts it, with {@code env} added); the suite's handles follow it. */
  private static void restartEg(Map<String, String> env) throws Exception {
    gateway.startEg(KubernetesGateway.Options.of(sizes, node).pollInterval(), env);
    eg = gateway.eg();
    client = gateway.client();
  }

  @Test
  void launchesOfAKernelspecWithoutAPoolAreNotLearnedSoNoPodIsKeptWarmThatNoClaimCouldTake() throws Exception {
    Started own = client.start(UNPOOLED, ALICE);
    assertThat(own.status()).as("EG: %s\n%s\npods: %s", own.body(), eg.tail(), podStates()).isEqualTo(201);
    assertThat(client.run(own.kernelId(), "6 * 7")).isEqualTo("42");
    java.time.Instant launched = java.time.Instant.now();
    // a reconcile after the launch: the sidecar's plan is newer than the pod
    await().atMost(Duration.ofSeconds(30)).until(() -> java.time.Instant.parse(
        pools().path("planned_at").asText()).isAfter(launched.plusSeconds(1)));

    JsonNode pools = pools();
    assertThat(pools.findValuesAsText("kernelspec")).doesNotContain(UNPOOLED);
    assertThat(cluster.ops().pods(NS, "kernel-pool.dev/kernelspec=" + UNPOOLED)).isEmpty();
    assertThat(client.delete(own.kernelId())).isEqualTo(204);
  }
}
