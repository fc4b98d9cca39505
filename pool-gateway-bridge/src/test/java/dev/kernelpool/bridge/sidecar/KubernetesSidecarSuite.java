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
import dev.kernelpool.bridge.launcher.LauncherResponse;
import dev.kernelpool.bridge.testing.KernelPodRuntime;
import dev.kernelpool.bridge.testing.PythonPeer;
import dev.kernelpool.bridge.wire.ConnectionFiles;
import dev.kernelpool.core.snapshot.MemberState;
import dev.kernelpool.k8s.pods.PoolLabels;
import dev.kernelpool.k8s.testing.FakeApiServer;
import dev.kernelpool.k8s.testing.KubeletSimulator;
import dev.kernelpool.k8s.testing.ResourceType;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sidecars on the Kubernetes backend against the in-memory API server, whose kubelet simulator
 * runs every pool pod as a real ipykernel behind EG's launcher: the whole claim path runs for real.
 */
class KubernetesSidecarIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NS = "team-a";
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir Path dir;
  private FakeApiServer server;
  private KernelPodRuntime kernels;
  private KubeletSimulator kubelet;
  private GatewayStandIn eg;
  private final List<Sidecar> sidecars = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = FakeApiServer.start();
    kernels = new KernelPodRuntime(dir);
    kubelet = KubeletSimulator.withLoopbackIps(server, kernels);
    eg = new GatewayStandIn();
    server.createNamespace("kernel-pool", Map.of());
    server.createNamespace(NS, Map.of());
    server.createQuota(NS, "compute", Map.of("requests.cpu", "100", "requests.memory", "400Gi", "pods", "1000"));
  }

  @AfterEach
  void stop() {
    sidecars.forEach(Sidecar::close);
    kubelet.close();
    kernels.stopAll();
    eg.close();
    server.close();
  }

  private Sidecar sidecar(String identity, int poolSize) throws Exception {
    return sidecar(identity, poolSize, "5m");
  }

  /** @param startTimeout how long a pod may take to report and warm up before it is replaced */
  private Sidecar sidecar(String identity, int poolSize, String startTimeout) throws Exception {
    return sidecar(identity, poolSize, startTimeout, "10s");
  }

  private Sidecar sidecar(String identity, int poolSize, String startTimeout, String heartbeat) throws Exception {
    Path work = dir.resolve(identity);
    String yaml = String.join("\n",
        "http: {port: 0}",
        "token: " + SidecarFixture.TOKEN,
        "backend: kubernetes",
        "claim: {timeout: 10s}",
        "local: {workDir: '" + work + "'}",
        "controller: {readyTimeout: 120s, heartbeat: " + heartbeat + "}",
        "policy: {startTimeout: " + startTimeout + "}",
        "kernelspecs:",
        "  - {name: python3, resources: 'cpu=1,memory=1Gi', min: " + poolSize + ", max: " + poolSize + "}",
        "kubernetes: {apiUrl: '" + server.url() + "', pool: kp, identity: " + identity + ", leaseNamespace: kernel-pool,",
        "  namespaces: [" + NS + "], defaultNamespace: " + NS + ", leaseDuration: 3s, renewDeadline: 2s,",
        "  retryPeriod: 300ms, resync: 2s, debounce: 50ms, historySave: 1s, quotaBackoff: 5s}",
        "");
    Sidecar s = Sidecar.start(SidecarConfig.parseYaml(yaml), Clock.systemUTC());
    sidecars.add(s);
    return s;
  }

  private List<ObjectNode> poolPods() {
    return server.list(ResourceType.PODS, NS, PoolLabels.poolSelector("kp"));
  }

  private static String label(ObjectNode pod, String key) {
    return pod.path("metadata").path("labels").path(key).asText(null);
  }

  private JsonNode execute(LauncherResponse r, String code) throws Exception {
    return JSON.readTree(PythonPeer.run("jc_execute.py", ConnectionFiles.toJson(r.connectionInfo()).toString(), code));
  }

  @Test
  void aWarmPodIsClaimedResizedAndRunsCodeFromJupyterClient() throws Exception {
    Sidecar sidecar = sidecar("replica-0", 2);
    await().atMost(WAIT).until(() -> sidecar.registry().count(MemberState.WARM) == 2);
    String kernelId = UUID.randomUUID().toString();
    LaunchScriptRunner.Result run = LaunchScriptRunner.run(LocalIpykernel.PYTHON, dir, "python3", kernelId, eg, Map.of(
        "KERNEL_POOL_URL", sidecar.url(), "KERNEL_POOL_TOKEN", sidecar.token(),
        "KERNEL_USERNAME", "alice", "KERNEL_NAMESPACE", NS));
    LauncherResponse r = eg.await(kernelId, Duration.ofSeconds(30));
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stderr()).contains("warm kernel kp-");
    JsonNode result = execute(r, "import os\nprint(os.environ['KERNEL_ID'], os.environ['KERNEL_USERNAME'])");
    assertThat(result.path("stdout").asText()).isEqualTo(kernelId + " alice\n");

    ObjectNode pod = poolPods().stream().filter(p -> kernelId.equals(label(p, PoolLabels.KERNEL_ID))).findFirst().orElseThrow();
    assertThat(label(pod, PoolLabels.COMPONENT)).isEqualTo("kernel");
    assertThat(label(pod, PoolLabels.STATE)).isEqualTo("claimed");
    assertThat(pod.path("spec").path("containers").get(0).path("resources").path("requests").path("cpu").asText()).isEqualTo("1");
    String name = pod.path("metadata").path("name").asText();
    await().atMost(Duration.ofSeconds(10)).until(() -> server.list(ResourceType.EVENTS, NS, "").stream()
        .filter(e -> e.path("involvedObject").path("name").asText().equals(name)).map(e -> e.path("reason").asText())
        .toList().containsAll(List.of("Created", "Warm", "Claimed", "Resized")));
    // The claim is a launch: the history ConfigMap learns it, and the pool refills to two warm pods.
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      List<ObjectNode> cms = server.list(ResourceType.CONFIG_MAPS, NS, "");
      return !cms.isEmpty() && cms.get(0).path("data").path("launches.json").asText().contains("python3");
    });
    await().atMost(WAIT).until(() -> sidecar.registry().count(MemberState.WARM) == 2);
    // Connection Secrets live in the sidecar's namespace, never in the user's (where anyone with
    // "get secrets" could read a colleague's kernel key); the claimed pod's is cleaned up there.
    await().atMost(Duration.ofSeconds(10)).until(() -> server.list(ResourceType.SECRETS, "kernel-pool", "").size() == 2);
    assertThat(server.list(ResourceType.SECRETS, NS, "")).isEmpty();
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
    ObjectNode genuine = poolPods().get(0);
    String genuineName = genuine.path("metadata").path("name").asText();
    for (String name : List.of("kp-planted", "kp-elsewhere")) {
      ObjectNode planted = genuine.deepCopy();
      ObjectNode meta = (ObjectNode) planted.get("metadata");
      meta.put("name", name);
      meta.remove(List.of("uid", "resourceVersion", "creationTimestamp"));
      ((ObjectNode) meta.get("labels")).put(PoolLabels.STATE, PoolLabels.STATE_WARM);
      if (name.equals("kp-elsewhere")) {
        ObjectNode annotations = (ObjectNode) meta.get("annotations");
        annotations.put(PoolLabels.PROFILE_SPEC, annotations.path(PoolLabels.PROFILE_SPEC).asText().replace("\"" + NS + "\"", "\"kernel-pool\""));
      }
      planted.remove("status");
      server.create(ResourceType.PODS, NS, planted.toString());
      server.create(ResourceType.SECRETS, NS, "{\"metadata\":{\"name\":\"" + name + "-connection\",\"labels\":{\""
          + PoolLabels.POOL + "\":\"kp\",\"" + PoolLabels.MANAGED_BY + "\":\"" + PoolLabels.MANAGER + "\",\"" + PoolLabels.POD + "\":\""
          + name + "\"}},\"data\":{\"connection.json\":\"e30=\"}}");
    }

    SidecarFixture.Answer hit = SidecarFixture.claim(sidecar, eg, "victim", Map.of("KERNEL_NAMESPACE", NS, "KERNEL_USERNAME", "victim"));
    SidecarFixture.Answer second = SidecarFixture.claim(sidecar, eg, "victim-2", Map.of("KERNEL_NAMESPACE", NS, "KERNEL_USERNAME", "victim"));

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
    kubelet.close(); // pods are created but never run: they stay starting
    Sidecar sidecar = sidecar("replica-0", 1);
    await().atMost(WAIT).until(() -> !poolPods().isEmpty());
    ObjectNode pod = poolPods().get(0);
    Map<String, String> env = new HashMap<>();
    pod.path("spec").path("containers").get(0).path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
    dev.kernelpool.bridge.wire.ConnectionInfo attackers = new dev.kernelpool.bridge.wire.ConnectionInfo("tcp", "127.0.0.1",
        40001, 40002, 40003, 40004, 40005, "attackers-key", dev.kernelpool.bridge.wire.ConnectionInfo.HMAC_SHA256, "python3");
    LauncherResponse forged = new LauncherResponse(attackers, env.get("KERNEL_ID"), java.util.OptionalLong.of(1),
        java.util.OptionalLong.of(1), java.util.OptionalInt.of(40006));
    new dev.kernelpool.bridge.launcher.ResponseSender(new dev.kernelpool.bridge.launcher.ConnectionInfoCipher(new java.security.SecureRandom()))
        .send(dev.kernelpool.bridge.launcher.ResponseAddress.parse(env.get("EG_RESPONSE_ADDRESS")), forged,
            dev.kernelpool.bridge.launcher.RsaKeys.parse(env.get("EG_PUBLIC_KEY")), Duration.ofSeconds(2));

    await().atMost(Duration.ofSeconds(10)).until(() ->
        sidecar.responseListener().rejectedCount(dev.kernelpool.bridge.launcher.PayloadException.Reason.UNAUTHENTIC) == 1);
    assertThat(label(poolPods().get(0), PoolLabels.STATE)).isEqualTo(PoolLabels.STATE_STARTING);
    assertThat(sidecar.registry().count(MemberState.WARM)).isZero();
  }

  @Test
  void threeSidecarsThousandConcurrentClaimsOnAPoolOfFifty() throws Exception {
    List<Sidecar> replicas = List.of(sidecar("replica-0", 50), sidecar("replica-1", 50), sidecar("replica-2", 50));
    for (Sidecar s : replicas) {
      await().atMost(Duration.ofSeconds(240)).until(() -> s.registry().count(MemberState.WARM) == 50);
    }
    replicas.forEach(s -> s.setPaused(true));
    List<SidecarFixture.Answer> answers = SidecarFixture.claimAtOnce(replicas, eg, 1000,
        kernelId -> Map.of("KERNEL_NAMESPACE", NS, "KERNEL_USERNAME", "u" + kernelId));
    List<SidecarFixture.Answer> hits = answers.stream().filter(a -> a.status() == 200).toList();
    assertThat(hits).hasSize(50);
    assertThat(answers.stream().filter(a -> a.status() == 404)).hasSize(950)
        .allSatisfy(a -> assertThat(a.body().path("reason").asText()).isIn("no_warm_kernel", "contended"));
    Set<String> podsHanded = new HashSet<>();
    Map<String, String> byPod = new HashMap<>();
    for (SidecarFixture.Answer hit : hits) {
      String pod = hit.body().path("pool_kernel").asText();
      assertThat(podsHanded.add(pod)).as("pod %s handed out twice", pod).isTrue();
      byPod.put(pod, hit.kernelId());
      eg.await(hit.kernelId(), Duration.ofSeconds(30));
    }
    assertThat(eg.deliveries()).isEqualTo(50);
    for (ObjectNode p : poolPods()) {
      assertThat(label(p, PoolLabels.KERNEL_ID)).isEqualTo(byPod.get(p.path("metadata").path("name").asText()));
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
        && poolPods().stream().filter(p -> !"claimed".equals(label(p, PoolLabels.STATE))).count() == 3);
    SidecarFixture.Answer hit = SidecarFixture.claim(second, eg, "after-restart", Map.of("KERNEL_NAMESPACE", NS));
    assertThat(hit.status()).isEqualTo(200);
    eg.await("after-restart", Duration.ofSeconds(30));
  }

  @Test
  void aWarmKernelThatStopsAnsweringIsReplaced() throws Exception {
    Sidecar sidecar = sidecar("replica-0", 1, "5m", "1s");
    await().atMost(WAIT).until(() -> sidecar.registry().count(MemberState.WARM) == 1);
    var frozen = sidecar.registry().all().get(0);
    long pid = frozen.launch().orElseThrow().pid().orElseThrow();
    new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor();
    await().atMost(WAIT).until(() -> poolPods().stream().noneMatch(p -> p.path("metadata").path("name").asText().equals(frozen.id()))
        && sidecar.registry().count(MemberState.WARM) == 1);
    assertThat(sidecar.metrics().evictions(NS, "DEAD")).isEqualTo(1);
  }

  @Test
  void withTheApiDownAClaimFallsBackWithinTheClaimTimeoutAndThePoolRecovers() throws Exception {
    Sidecar sidecar = sidecar("replica-0", 1);
    await().atMost(WAIT).until(() -> sidecar.registry().count(MemberState.WARM) == 1);
    server.faults().setDown(true);
    long t0 = System.nanoTime();
    SidecarFixture.Answer answer = SidecarFixture.claim(sidecar, eg, "api-down", Map.of("KERNEL_NAMESPACE", NS));
    long millis = (System.nanoTime() - t0) / 1_000_000;
    assertThat(answer.status()).isEqualTo(502);
    assertThat(answer.body().path("reason").asText()).isEqualTo("bind_failed");
    assertThat(millis).isLessThan(10_000);
    server.faults().setDown(false);
    await().atMost(WAIT).until(() -> sidecar.registry().count(MemberState.WARM) == 1);
    assertThat(SidecarFixture.claim(sidecar, eg, "api-back", Map.of("KERNEL_NAMESPACE", NS)).status()).isEqualTo(200);
  }
}
