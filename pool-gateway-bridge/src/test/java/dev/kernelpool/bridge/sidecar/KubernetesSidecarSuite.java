package dev.kernelpool.bridge.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kernelpool.bridge.bench.GatewayStandIn;
import dev.kernelpool.bridge.bench.LaunchScriptRunner;
import dev.kernelpool.bridge.bench.LocalIpykernel;
import dev.kernelpool.bridge.config.SidecarConfig;
import dev.kernelpool.bridge.launcher.ConnectionInfoCipher;
import dev.kernelpool.bridge.launcher.LauncherResponse;
import dev.kernelpool.bridge.launcher.PayloadException;
import dev.kernelpool.bridge.launcher.ResponseAddress;
import dev.kernelpool.bridge.launcher.ResponseSender;
import dev.kernelpool.bridge.launcher.RsaKeys;
import dev.kernelpool.bridge.pool.PoolKernel;
import dev.kernelpool.bridge.testing.KernelPodRuntime;
import dev.kernelpool.bridge.testing.PythonPeer;
import dev.kernelpool.bridge.wire.ConnectionFiles;
import dev.kernelpool.bridge.wire.ConnectionInfo;
import dev.kernelpool.core.snapshot.MemberState;
import dev.kernelpool.k8s.pods.PoolLabels;
import dev.kernelpool.k8s.testing.ClusterOps;
import dev.kernelpool.k8s.testing.KubeletSimulator;
import dev.kernelpool.k8s.testing.TestCluster;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sidecars on the Kubernetes backend, written once and run on both servers ({@link
 * KubernetesSidecarIT} in-memory, {@link RealKubernetesSidecarIT} on a real kube-apiserver as the
 * service-account user with the shipped RBAC). The kubelet runs every pool pod as a real ipykernel
 * behind the pool's launcher: the whole claim path runs for real. Each test has its own namespace
 * and pool name.
 */
abstract class KubernetesSidecarSuite {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration WAIT = Duration.ofSeconds(120);
  private static final AtomicInteger TESTS = new AtomicInteger();

  /** What the kubelet runs: real kernels, except for pods of a held namespace, which never start. */
  static final class HoldingRuntime implements KubeletSimulator.PodRuntime, AutoCloseable {
    private final KernelPodRuntime kernels;
    final Set<String> held = ConcurrentHashMap.newKeySet();

    HoldingRuntime(Path dir) {
      this.kernels = new KernelPodRuntime(dir);
    }

    @Override
    public void start(ObjectNode pod, Runnable exited) throws Exception {
      if (!held.contains(pod.path("metadata").path("namespace").asText())) {
        kernels.start(pod, exited);
      }
    }

    @Override
    public void stop(String namespace, String name) {
      kernels.stop(namespace, name);
    }

    /** What the pod's kernel printed. */
    Path log(String podName) {
      return kernels.log(podName);
    }

    @Override
    public void close() {
      kernels.stopAll();
    }
  }

  /** The cluster this class runs on, shared by its tests (the concrete class's {@link dev.kernelpool.k8s.testing.ClusterExtension}). */
  TestCluster cluster;
  /** A folder for this test's sidecars. */
  @TempDir Path dir;

  /** What the kubelet stand-in runs pods with. */
  HoldingRuntime runtime() {
    return (HoldingRuntime) cluster.podRuntime().orElseThrow(() -> new UnsupportedOperationException("a real kubelet runs this cluster's pods"));
  }

  /** The kernelspec's image: what the kubelet runs. */
  String image() {
    return "local/python3";
  }

  /** The kernelspec's resources; {@link #cpu()} is their cpu request. */
  String resources() {
    return "cpu=1,memory=1Gi";
  }

  String cpu() {
    return "1";
  }

  /** The pool three replicas claim from at once. */
  int bigPool() {
    return 50;
  }

  /** Where the sidecar's response listener binds: an address the pool pods reach. */
  String listenerHost() {
    return "127.0.0.1";
  }

  /** From now on, pods of {@code namespace} are scheduled but their kernels never run: they stay starting. */
  void holdKernels(String namespace) {
    runtime().held.add(namespace);
  }

  /** Stops (or resumes) every process of a warm kernel's pod, as a hung kernel. */
  void freeze(V1Pod pod, PoolKernel kernel, boolean frozen) throws Exception {
    long pid = kernel.launch().orElseThrow().pid().orElseThrow();
    new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", Long.toString(pid)).start().waitFor();
  }

  /** Checks what only a real node can show: that the claimed kernel ran in its pod's container. */
  void assertRanInItsContainer(V1Pod pod, LauncherResponse r) throws Exception {
    // the kubelet stand-ins run kernels as local processes
  }

  /** Removes the test's namespace. */
  void removeNamespace() throws ApiException {
    ops.deleteNamespace(ns);
  }

  String ns;
  String pool;
  ClusterOps ops;
  GatewayStandIn eg;
  final List<Sidecar> sidecars = new ArrayList<>();

  @BeforeEach
  void start(TestCluster cluster) throws Exception {
    this.cluster = cluster;
    int n = TESTS.incrementAndGet();
    ns = "team-" + n;
    pool = "kp" + n;
    ops = cluster.ops();
    eg = new GatewayStandIn();
    ops.namespace(ns, Map.of());
    // room within the 10% rule for 50 pool pods at their full 1 cpu, as a server without pods/resize starts them
    ops.quota(ns, "compute", Map.of("requests.cpu", "600", "requests.memory", "2400Gi", "pods", "1000"));
  }

  @AfterEach
  void stop() throws ApiException {
    sidecars.forEach(Sidecar::close);
    sidecars.clear();
    eg.close();
    cluster.partition(false);
    removeNamespace();
  }

  Sidecar sidecar(String identity, int poolSize) throws Exception {
    return sidecar(identity, poolSize, "5m");
  }

  /** @param startTimeout how long a pod may take to report and warm up before it is replaced */
  Sidecar sidecar(String identity, int poolSize, String startTimeout) throws Exception {
    return sidecar(identity, poolSize, startTimeout, "10s");
  }

  Sidecar sidecar(String identity, int poolSize, String startTimeout, String heartbeat) throws Exception {
    Path work = dir.resolve(pool + "-" + identity);
    String yaml = String.join("\n",
        "http: {port: 0}",
        "token: " + SidecarFixture.TOKEN,
        "backend: kubernetes",
        "claim: {timeout: 10s}",
        "responseListener: {host: " + listenerHost() + ", port: 0}",
        "local: {workDir: '" + work + "'}",
        "controller: {readyTimeout: 120s, heartbeat: " + heartbeat + "}",
        "policy: {startTimeout: " + startTimeout + "}",
        "kernelspecs:",
        "  - {name: python3, image: '" + image() + "', resources: '" + resources() + "', min: " + poolSize + ", max: " + poolSize + "}",
        "kubernetes: {" + cluster.sidecarConnection() + ", pool: " + pool + ", identity: " + identity
            + ", leaseNamespace: " + TestCluster.POOL_NAMESPACE + ",",
        "  namespaces: [" + ns + "], defaultNamespace: " + ns + ", leaseDuration: 3s, renewDeadline: 2s,",
        "  retryPeriod: 300ms, resync: 2s, debounce: 50ms, historySave: 1s, quotaBackoff: 5s, callTimeout: 10s}",
        "");
    Sidecar s = Sidecar.start(SidecarConfig.parseYaml(yaml), Clock.systemUTC());
    sidecars.add(s);
    return s;
  }

  List<V1Pod> poolPods() throws ApiException {
    return ops.pods(ns, PoolLabels.poolSelector(pool));
  }

  static String label(V1Pod pod, String key) {
    return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(key);
  }

  static String name(V1Pod pod) {
    return pod.getMetadata().getName();
  }

  JsonNode execute(LauncherResponse r, String code) throws Exception {
    return JSON.readTree(PythonPeer.run("jc_execute.py", ConnectionFiles.toJson(r.connectionInfo()).toString(), code));
  }

  @Test
  void aWarmPodIsClaimedResizedOrNotAndRunsCodeFromJupyterClient() throws Exception {
    Sidecar sidecar = sidecar("replica-0", 2);
    await().atMost(WAIT).until(() -> sidecar.registry().count(MemberState.WARM) == 2);
    assertThat(poolPods()).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getResources().getRequests().get("cpu")
        .toSuffixedString()).as("a warm pod starts small only where it can be resized").isEqualTo(cluster.resizeSupported() ? "100m" : cpu()));
    String kernelId = UUID.randomUUID().toString();
    LaunchScriptRunner.Result run = LaunchScriptRunner.run(LocalIpykernel.PYTHON, dir, "python3", kernelId, eg, Map.of(
        "KERNEL_POOL_URL", sidecar.url(), "KERNEL_POOL_TOKEN", sidecar.token(),
        "KERNEL_USERNAME", "alice", "KERNEL_NAMESPACE", ns));
    LauncherResponse r = eg.await(kernelId, Duration.ofSeconds(30));
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stderr()).contains("warm kernel kp-");
    JsonNode result = execute(r, "import os\nprint(os.environ['KERNEL_ID'], os.environ['KERNEL_USERNAME'])");
    assertThat(result.path("stdout").asText()).isEqualTo(kernelId + " alice\n");

    V1Pod pod = poolPods().stream().filter(p -> kernelId.equals(label(p, PoolLabels.KERNEL_ID))).findFirst().orElseThrow();
    assertThat(label(pod, PoolLabels.COMPONENT)).isEqualTo("kernel");
    assertThat(label(pod, PoolLabels.STATE)).isEqualTo("claimed");
    String cpu = pod.getSpec().getContainers().get(0).getResources().getRequests().get("cpu").toSuffixedString();
    // What the launch asked for, on both servers: resized in place where the cluster can (1.33+); an
    // older one (no pods/resize) gets pool pods started at their full requests
    assertThat(cpu).isEqualTo(cpu());
    assertRanInItsContainer(pod, r);
    List<String> story = cluster.resizeSupported() ? List.of("Created", "Warm", "Claimed", "Resized") : List.of("Created", "Warm", "Claimed");
    await().atMost(Duration.ofSeconds(10)).until(() -> ops.events(ns).stream()
        .filter(e -> e.getInvolvedObject() != null && name(pod).equals(e.getInvolvedObject().getName()))
        .map(e -> e.getReason()).toList().containsAll(story));
    // The claim is a launch: the history ConfigMap learns it, and the pool refills to two warm pods.
    await().atMost(Duration.ofSeconds(10)).until(() -> ops.core().listNamespacedConfigMap(ns).execute().getItems().stream()
        .anyMatch(cm -> cm.getData() != null && String.valueOf(cm.getData().get("launches.json")).contains("python3")));
    await().atMost(WAIT).until(() -> sidecar.registry().count(MemberState.WARM) == 2);
    // Connection Secrets live in the sidecar's namespace, never in the user's (where anyone with
    // "get secrets" could read a colleague's kernel key); the claimed pod's is cleaned up there.
    await().atMost(Duration.ofSeconds(10)).until(() -> ops.core().listNamespacedSecret(TestCluster.POOL_NAMESPACE)
        .labelSelector(PoolLabels.poolSelector(pool)).execute().getItems().size() == 2);
    assertThat(ops.core().listNamespacedSecret(ns).labelSelector(PoolLabels.poolSelector(pool)).execute().getItems()).isEmpty();
    SidecarFixture.shutdown(r);
  }

  /**
   * The probe's attack: a user of the namespace copies a genuine pool pod (labels, annotations, its
   * proof and its environment included) into pods of their own, marked warm, with a connection
   * Secret beside it pointing at their own kernel, and one whose profile names another namespace.
   */
  @Test
  void podsPlantedWithThePoolsLabelsAreNeitherCountedNorAdoptedNorHandedOutAndStopNothing() throws Exception {
    Sidecar sidecar = sidecar("replica-0", 1);
    await().atMost(WAIT).until(() -> sidecar.registry().count(MemberState.WARM) == 1);
    V1Pod genuine = poolPods().get(0);
    String genuineName = name(genuine);
    for (String planted : List.of("kp-planted", "kp-elsewhere")) {
      Map<String, String> labels = new HashMap<>(genuine.getMetadata().getLabels());
      labels.put(PoolLabels.STATE, PoolLabels.STATE_WARM);
      Map<String, String> annotations = new HashMap<>(genuine.getMetadata().getAnnotations());
      if (planted.equals("kp-elsewhere")) {
        annotations.put(PoolLabels.PROFILE_SPEC, annotations.get(PoolLabels.PROFILE_SPEC).replace("\"" + ns + "\"", "\"kernel-pool\""));
      }
      ops.createPod(ns, new V1Pod().metadata(new V1ObjectMeta().name(planted).labels(labels).annotations(annotations))
          .spec(genuine.getSpec().nodeName(null).overhead(null)));
      ops.core().createNamespacedSecret(ns, new V1Secret().apiVersion("v1").kind("Secret")
          .metadata(new V1ObjectMeta().name(planted + "-connection").labels(Map.of(PoolLabels.POOL, pool,
              PoolLabels.MANAGED_BY, PoolLabels.MANAGER, PoolLabels.POD, planted)))
          .data(Map.of("connection.json", "{}".getBytes(StandardCharsets.UTF_8)))).execute();
    }

    SidecarFixture.Answer hit = SidecarFixture.claim(sidecar, eg, "victim", Map.of("KERNEL_NAMESPACE", ns, "KERNEL_USERNAME", "victim"));
    SidecarFixture.Answer second = SidecarFixture.claim(sidecar, eg, "victim-2", Map.of("KERNEL_NAMESPACE", ns, "KERNEL_USERNAME", "victim"));

    assertThat(hit.status()).isEqualTo(200);
    assertThat(hit.body().path("pool_kernel").asText()).isEqualTo(genuineName);
    assertThat(second.body().path("reason").asText()).as("the planted 'warm' pods are not the pool's").isEqualTo("no_warm_kernel");
    assertThat(sidecar.registry().all()).noneMatch(k -> k.id().startsWith("kp-planted") || k.id().startsWith("kp-elsewhere"));
    // the reconcile goes on: the pool refills with a genuine pod, the planted ones do not count as its members
    await().atMost(WAIT).until(() -> sidecar.registry().count(MemberState.WARM) == 1);
    SidecarFixture.shutdown(eg.await("victim", Duration.ofSeconds(10)));
  }

  /**
   * Everything on a pool pod's command line and environment is readable by the namespace's users:
   * the sidecar's response address, its public key and the pod's name. A report sealed correctly
   * for a starting pod, but sent from anywhere but that pod, is rejected.
   */
  @Test
  void aLaunchReportForAStartingPodFromAnotherAddressIsRejected() throws Exception {
    holdKernels(ns);
    Sidecar sidecar = sidecar("replica-0", 1);
    await().atMost(WAIT).until(() -> !poolPods().isEmpty());
    V1Pod pod = poolPods().get(0);
    Map<String, String> env = new HashMap<>();
    pod.getSpec().getContainers().get(0).getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
    ConnectionInfo attackers = new ConnectionInfo("tcp", "127.0.0.1", 40001, 40002, 40003, 40004, 40005, "attackers-key",
        ConnectionInfo.HMAC_SHA256, "python3");
    LauncherResponse forged = new LauncherResponse(attackers, env.get("KERNEL_ID"), OptionalLong.of(1), OptionalLong.of(1),
        OptionalInt.of(40006));
    new ResponseSender(new ConnectionInfoCipher(new SecureRandom()))
        .send(ResponseAddress.parse(env.get("EG_RESPONSE_ADDRESS")), forged, RsaKeys.parse(env.get("EG_PUBLIC_KEY")), Duration.ofSeconds(2));

    await().atMost(Duration.ofSeconds(10)).until(() -> sidecar.responseListener().rejectedCount(PayloadException.Reason.UNAUTHENTIC) == 1);
    assertThat(label(poolPods().get(0), PoolLabels.STATE)).isEqualTo(PoolLabels.STATE_STARTING);
    assertThat(sidecar.registry().count(MemberState.WARM)).isZero();
  }

  @Test
  void threeSidecarsThousandConcurrentClaimsOnAPoolOfFifty() throws Exception {
    int size = bigPool();
    List<Sidecar> replicas = List.of(sidecar("replica-0", size), sidecar("replica-1", size), sidecar("replica-2", size));
    for (Sidecar s : replicas) {
      await().atMost(Duration.ofSeconds(240)).until(() -> s.registry().count(MemberState.WARM) == size);
    }
    replicas.forEach(s -> s.setPaused(true));
    List<SidecarFixture.Answer> answers = SidecarFixture.claimAtOnce(replicas, eg, 1000,
        kernelId -> Map.of("KERNEL_NAMESPACE", ns, "KERNEL_USERNAME", "u" + kernelId));
    List<SidecarFixture.Answer> hits = answers.stream().filter(a -> a.status() == 200).toList();
    assertThat(hits).hasSize(size);
    assertThat(answers.stream().filter(a -> a.status() == 404)).hasSize(1000 - size)
        .allSatisfy(a -> assertThat(a.body().path("reason").asText()).isIn("no_warm_kernel", "contended"));
    Set<String> podsHanded = new HashSet<>();
    Map<String, String> byPod = new HashMap<>();
    for (SidecarFixture.Answer hit : hits) {
      String handed = hit.body().path("pool_kernel").asText();
      assertThat(podsHanded.add(handed)).as("pod %s handed out twice", handed).isTrue();
      byPod.put(handed, hit.kernelId());
      SidecarFixture.shutdown(eg.await(hit.kernelId(), Duration.ofSeconds(30)));
    }
    assertThat(eg.deliveries()).isEqualTo(size);
    for (V1Pod p : poolPods()) {
      assertThat(label(p, PoolLabels.KERNEL_ID)).isEqualTo(byPod.get(name(p)));
    }
  }

  @Test
  void aRestartedSidecarAdoptsWarmPodsAndReplacesThoseThatReportedToTheOldOne() throws Exception {
    Sidecar first = sidecar("replica-0", 3, "15s");
    await().atMost(WAIT).until(() -> first.registry().count(MemberState.WARM) >= 1);
    first.close(); // mid-fill: some pods reported to it and are warm, others will report to a dead address
    sidecars.remove(first);
    Sidecar second = sidecar("replica-1", 3, "15s");
    await().atMost(WAIT).until(() -> second.registry().count(MemberState.WARM) == 3
        && poolPods().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null
            && !"claimed".equals(label(p, PoolLabels.STATE))).count() == 3);
    SidecarFixture.Answer hit = SidecarFixture.claim(second, eg, "after-restart", Map.of("KERNEL_NAMESPACE", ns));
    assertThat(hit.status()).isEqualTo(200);
    SidecarFixture.shutdown(eg.await("after-restart", Duration.ofSeconds(30)));
  }

  @Test
  void aWarmKernelThatStopsAnsweringIsReplaced() throws Exception {
    Sidecar sidecar = sidecar("replica-0", 1, "5m", "1s");
    await().atMost(WAIT).until(() -> sidecar.registry().count(MemberState.WARM) == 1);
    PoolKernel frozen = sidecar.registry().all().get(0);
    V1Pod pod = poolPods().stream().filter(p -> name(p).equals(frozen.id())).findFirst().orElseThrow();
    freeze(pod, frozen, true);
    try {
      // deleted (a real kubelet cannot stop a frozen container before it is thawed) and replaced
      await().atMost(WAIT).until(() -> poolPods().stream().noneMatch(p -> name(p).equals(frozen.id()) && p.getMetadata().getDeletionTimestamp() == null)
          && sidecar.registry().count(MemberState.WARM) == 1);
      assertThat(sidecar.metrics().evictions(ns, "DEAD")).isEqualTo(1);
    } finally {
      freeze(pod, frozen, false);
    }
  }

  /** Cut off from the API server (a partition of the sidecar's connections only), a claim falls back in time. */
  @Test
  void withTheApiCutOffAClaimFallsBackWithinTheClaimTimeoutAndThePoolRecovers() throws Exception {
    Sidecar sidecar = sidecar("replica-0", 1);
    await().atMost(WAIT).until(() -> sidecar.registry().count(MemberState.WARM) == 1);
    cluster.partition(true);
    long t0 = System.nanoTime();
    SidecarFixture.Answer answer = SidecarFixture.claim(sidecar, eg, "api-down", Map.of("KERNEL_NAMESPACE", ns));
    long millis = (System.nanoTime() - t0) / 1_000_000;
    assertThat(answer.status()).isEqualTo(502);
    assertThat(answer.body().path("reason").asText()).isEqualTo("bind_failed");
    assertThat(millis).isLessThan(10_000);
    cluster.partition(false);
    await().atMost(WAIT).until(() -> sidecar.registry().count(MemberState.WARM) == 1);
    SidecarFixture.Answer back = SidecarFixture.claim(sidecar, eg, "api-back", Map.of("KERNEL_NAMESPACE", ns));
    assertThat(back.status()).as(back.body().toString()).isEqualTo(200);
    SidecarFixture.shutdown(eg.await("api-back", Duration.ofSeconds(30)));
  }
}
