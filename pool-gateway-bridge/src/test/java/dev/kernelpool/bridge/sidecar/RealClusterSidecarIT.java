package dev.kernelpool.bridge.sidecar;

import dev.kernelpool.k8s.testing.Closing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kernelpool.bridge.bench.GatewayStandIn;
import dev.kernelpool.bridge.config.SidecarConfig;
import dev.kernelpool.bridge.launcher.LauncherResponse;
import dev.kernelpool.bridge.testing.KernelPodRuntime;
import dev.kernelpool.bridge.testing.PythonPeer;
import dev.kernelpool.bridge.wire.ConnectionFiles;
import dev.kernelpool.core.snapshot.MemberState;
import dev.kernelpool.k8s.pods.PoolLabels;
import dev.kernelpool.k8s.testing.RealTestCluster;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.openapi.models.RbacV1Subject;
import io.kubernetes.client.openapi.models.V1ClusterRole;
import io.kubernetes.client.openapi.models.V1ClusterRoleBinding;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ResourceQuota;
import io.kubernetes.client.openapi.models.V1ResourceQuotaSpec;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.util.Yaml;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes backend against a real kube-apiserver, etcd and controller-manager (v1.20,
 * {@code ../shared/k8s}), acting as the service-account user with exactly the shipped {@code
 * examples/kubernetes/rbac.yaml} (its namespace and subject adapted to that user, as the manifest
 * says to): quota usage comes from the controller-manager, optimistic concurrency and RBAC are the
 * API server's own, and there is no {@code pods/resize} (the fallback an older cluster gets).
 * Its kubelet ({@code ApiKubelet}) does a kubelet's part through the API and runs real kernels.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class RealClusterSidecarIT {
  private static final String NS = "team-a";
  private static final String OWN = "kernel-pool";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static RealTestCluster cluster;
  private static ApiClient admin;
  private static KernelPodRuntime kernels;
  private static Sidecar sidecar;
  private static GatewayStandIn eg;

  @BeforeAll
  static void start() throws Exception {
    kernels = new KernelPodRuntime(Files.createDirectories(dir.resolve("pods")));
    Optional<RealTestCluster> started = RealTestCluster.start(dir.resolve("cluster"), kernels);
    Assumptions.assumeTrue(started.isPresent(), "no real control plane (KERNEL_POOL_K8S_HOME)");
    cluster = started.get();
    admin = cluster.admin();
    cluster.ops().namespace(NS, Map.of());
    cluster.ops().quota(NS, "compute", Map.of("requests.cpu", "20", "requests.memory", "40Gi", "pods", "50"));
    eg = new GatewayStandIn();
    sidecar = replica("replica-0");
  }

  /** A sidecar replica as the service-account user: every replica of the pool shares the token and the Lease. */
  private static Sidecar replica(String identity) throws Exception {
    return Sidecar.start(SidecarConfig.parseYaml(String.join("\n",
        "http: {port: 0}",
        "token: " + SidecarFixture.TOKEN,
        "backend: kubernetes",
        "claim: {timeout: 10s}",
        "local: {workDir: '" + dir.resolve(identity) + "'}",
        "controller: {readyTimeout: 120s}",
        "kernelspecs:",
        "  - {name: python3, resources: 'cpu=1,memory=1Gi', min: 2, max: 2}",
        "kubernetes: {" + cluster.sidecarConnection() + ", pool: kp, identity: " + identity + ", leaseNamespace: " + OWN + ",",
        "  namespaces: [" + NS + "], defaultNamespace: " + NS + ", resync: 2s, debounce: 50ms, historySave: 1s, callTimeout: 10s,",
        "  leaseDuration: 3s, renewDeadline: 2s, retryPeriod: 300ms}",
        "")), Clock.systemUTC());
  }

  @AfterAll
  static void stop() throws Exception {
    Closing.all(sidecar, cluster, kernels == null ? null : kernels::stopAll, eg);
  }

  @Test
  @org.junit.jupiter.api.Order(1)
  void aPoolFillsWithinTheRealQuotaAtFullSizeOnAClusterThatCannotResizeAndAClaimRunsCode() throws Exception {
    CoreV1Api core = new CoreV1Api(admin);
    await().atMost(Duration.ofSeconds(120)).until(() -> sidecar.registry().count(MemberState.WARM) == 2);
    // the controller-manager, not us, keeps the quota's usage: two pool pods at their full 1 cpu, since
    // this server (1.20, no pods/resize) could never resize a small one to what a claim asks
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      V1ResourceQuota q = core.readNamespacedResourceQuota("compute", NS).execute();
      return q.getStatus() != null && q.getStatus().getUsed() != null
          && "2".equals(q.getStatus().getUsed().get("pods").toSuffixedString())
          && "2".equals(q.getStatus().getUsed().get("requests.cpu").toSuffixedString());
    });
    // connection Secrets in the sidecar's namespace only
    assertThat(core.listNamespacedSecret(NS).labelSelector(PoolLabels.poolSelector("kp")).execute().getItems()).isEmpty();
    assertThat(core.listNamespacedSecret(OWN).labelSelector(PoolLabels.poolSelector("kp")).execute().getItems()).hasSize(2);

    SidecarFixture.Answer hit = SidecarFixture.claim(sidecar, eg, "real-1", Map.of("KERNEL_NAMESPACE", NS, "KERNEL_USERNAME", "alice"));
    LauncherResponse r = eg.await("real-1", Duration.ofSeconds(30));

    assertThat(hit.status()).as(hit.body().toString()).isEqualTo(200);
    assertThat(hit.body().path("resize").asText()).as("started at its full requests: nothing to resize").isEqualTo("not_needed");
    JsonNode result = JSON.readTree(PythonPeer.run("jc_execute.py", ConnectionFiles.toJson(r.connectionInfo()).toString(),
        "import os\nprint(os.environ['KERNEL_ID'], os.environ['KERNEL_USERNAME'])"));
    assertThat(result.path("stdout").asText()).isEqualTo("real-1 alice\n");
    assertThat(core.listNamespacedPod(NS).labelSelector("kernel_id=real-1,component=kernel").execute().getItems())
        .singleElement().satisfies(p -> assertThat(p.getSpec().getContainers().get(0).getResources().getRequests().get("cpu")
            .toSuffixedString()).as("what the launch asked for").isEqualTo("1"));
    // Events, written by the service-account user and readable with the API's own client
    await().atMost(Duration.ofSeconds(10)).until(() -> core.listNamespacedEvent(NS).execute().getItems().stream()
        .map(e -> e.getReason()).toList().containsAll(List.of("Created", "Warm", "Claimed")));
    // the pool refills; the claimed pod's Secret goes
    await().atMost(Duration.ofSeconds(120)).until(() -> sidecar.registry().count(MemberState.WARM) == 2);
    SidecarFixture.shutdown(r);
  }

  /** Exactly-once claims with the API server's own optimistic concurrency, from three replicas at once. */
  @Test
  @org.junit.jupiter.api.Order(2)
  void threeReplicasClaimingAtOnceGetEachWarmPodOnceAndTheLeaseMovesWhenTheLeaderGoes() throws Exception {
    Sidecar second = replica("replica-1");
    Sidecar third = replica("replica-2");
    try {
      await().atMost(Duration.ofSeconds(120)).until(() -> List.of(sidecar, second, third).stream()
          .allMatch(s -> s.registry().count(MemberState.WARM) == 2));
      List<SidecarFixture.Answer> answers = SidecarFixture.claimAtOnce(List.of(sidecar, second, third), eg, 60,
          kernelId -> Map.of("KERNEL_NAMESPACE", NS, "KERNEL_USERNAME", "user-" + kernelId));

      List<SidecarFixture.Answer> hits = answers.stream().filter(a -> a.status() == 200).toList();
      assertThat(hits).hasSize(2);
      assertThat(hits).extracting(a -> a.body().path("pool_kernel").asText()).doesNotHaveDuplicates();
      assertThat(answers.stream().filter(a -> a.status() == 404)).hasSize(58);
      for (SidecarFixture.Answer hit : hits) {
        SidecarFixture.shutdown(eg.await(hit.kernelId(), Duration.ofSeconds(30)));
      }

      // the leader goes: another replica takes the real Lease over and refills the pool
      sidecar.close();
      sidecar = null;
      await().atMost(Duration.ofSeconds(120)).until(() -> second.registry().count(MemberState.WARM) == 2);
      String holder = new io.kubernetes.client.openapi.apis.CoordinationV1Api(admin).readNamespacedLease("kp-leader", OWN).execute()
          .getSpec().getHolderIdentity();
      assertThat(holder).isIn("replica-1", "replica-2");
      // and the new leader is the one that refills after the next claim
      SidecarFixture.Answer after = SidecarFixture.claim(second, eg, "after-takeover", Map.of("KERNEL_NAMESPACE", NS));
      assertThat(after.status()).as(after.body().toString()).isEqualTo(200);
      SidecarFixture.shutdown(eg.await("after-takeover", Duration.ofSeconds(30)));
      await().atMost(Duration.ofSeconds(120)).until(() -> second.registry().count(MemberState.WARM) == 2);
      assertThat(new CoreV1Api(admin).listNamespacedEvent(NS).execute().getItems().stream()
          .filter(e -> "Created".equals(e.getReason()))
          .map(e -> e.getSource() == null ? "" : String.valueOf(e.getSource().getComponent())))
          .as("a pod created by the new leader").anyMatch(c -> c.endsWith(holder));
    } finally {
      second.close();
      third.close();
    }
  }

  /**
   * examples/kubernetes through the real API server, unchanged (server-side dry run): the
   * ConfigMaps, the Secret and the LimitRange are valid as they are, and the Deployment patch,
   * merged into an EG Deployment the way kubectl patch does, gives a Deployment the server
   * accepts. The PodDisruptionBudget is policy/v1, which a 1.20 server does not serve (it serves
   * policy/v1beta1, and a 1.21+ cluster policy/v1): the difference the old version forces. The
   * RBAC manifest was applied for real above.
   */
  @Test
  @org.junit.jupiter.api.Order(3)
  void theShippedManifestsAreAcceptedByARealApiServer() throws Exception {
    CoreV1Api core = new CoreV1Api(admin);
    core.createNamespace(new V1Namespace().apiVersion("v1").kind("Namespace").metadata(new V1ObjectMeta().name("enterprise-gateway"))).execute();
    for (String file : List.of("sidecar-config.yaml", "kernelspec-configmap.yaml", "limitrange.yaml")) {
      for (Object o : Yaml.loadAll(new File("../examples/kubernetes/" + file))) {
        if (o instanceof io.kubernetes.client.openapi.models.V1ConfigMap cm) {
          core.createNamespacedConfigMap(cm.getMetadata().getNamespace(), cm).dryRun("All").execute();
        } else if (o instanceof io.kubernetes.client.openapi.models.V1Secret secret) {
          core.createNamespacedSecret(secret.getMetadata().getNamespace(), secret).dryRun("All").execute();
        } else if (o instanceof io.kubernetes.client.openapi.models.V1LimitRange range) {
          core.createNamespacedLimitRange(range.getMetadata().getNamespace(), range).dryRun("All").execute();
        } else {
          throw new AssertionError(file + " holds a " + o.getClass().getSimpleName() + " this test does not apply");
        }
      }
    }
    io.kubernetes.client.openapi.apis.AppsV1Api apps = new io.kubernetes.client.openapi.apis.AppsV1Api(admin);
    apps.createNamespacedDeployment("enterprise-gateway", Yaml.loadAs(String.join("\n",
        "apiVersion: apps/v1", "kind: Deployment",
        "metadata: {name: enterprise-gateway, namespace: enterprise-gateway}",
        "spec:",
        "  selector: {matchLabels: {app: enterprise-gateway}}",
        "  template:",
        "    metadata: {labels: {app: enterprise-gateway}}",
        "    spec:",
        "      serviceAccountName: enterprise-gateway-sa",
        "      containers: [{name: enterprise-gateway, image: 'elyra/enterprise-gateway:3.3.0'}]", ""),
        io.kubernetes.client.openapi.models.V1Deployment.class)).execute();
    String patch = new ObjectMapper().writeValueAsString(new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
        .readTree(new File("../examples/kubernetes/eg-deployment-patch.yaml")));
    io.kubernetes.client.openapi.models.V1Deployment merged = io.kubernetes.client.util.PatchUtils.patch(
        io.kubernetes.client.openapi.models.V1Deployment.class,
        () -> apps.patchNamespacedDeployment("enterprise-gateway", "enterprise-gateway", new io.kubernetes.client.custom.V1Patch(patch))
            .dryRun("All").buildCall(null),
        io.kubernetes.client.custom.V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, admin);
    assertThat(merged.getSpec().getTemplate().getSpec().getContainers()).extracting(c -> c.getName())
        .containsExactlyInAnyOrder("enterprise-gateway", "kernel-pool");
    assertThat(merged.getSpec().getTemplate().getSpec().getInitContainers()).hasSize(2);
    // policy/v1 PodDisruptionBudget: absent before 1.21
    io.kubernetes.client.openapi.ApiException noPolicyV1 = org.junit.jupiter.api.Assertions.assertThrows(
        io.kubernetes.client.openapi.ApiException.class,
        () -> new io.kubernetes.client.openapi.apis.PolicyV1Api(admin).createNamespacedPodDisruptionBudget("enterprise-gateway",
            Yaml.loadAs(new File("../examples/kubernetes/pdb.yaml"), io.kubernetes.client.openapi.models.V1PodDisruptionBudget.class))
            .dryRun("All").execute());
    assertThat(noPolicyV1.getCode()).isEqualTo(404);
  }

  /**
   * docs/kubernetes.md's steps, in the order the guide gives them, against the real server: the
   * manifests of the apply step (created, or replaced where they exist, as {@code kubectl apply}
   * would), then the token step. The token Secret must end with the random token, not the
   * placeholder that {@code sidecar-config.yaml} carries (the old order put it back).
   */
  @Test
  @org.junit.jupiter.api.Order(4)
  void theGuidesStepsInItsOrderLeaveTheRandomToken() throws Exception {
    List<String> guide = Files.readAllLines(Path.of("../docs/kubernetes.md"));
    int applyStep = indexOf(guide, "kubectl apply -f rbac.yaml -f sidecar-config.yaml");
    int tokenStep = indexOf(guide, "kernel-pool-token --from-literal=token=");
    assertThat(applyStep).as("the guide applies sidecar-config.yaml").isNotNegative();
    assertThat(tokenStep).as("the guide replaces the token after applying sidecar-config.yaml").isGreaterThan(applyStep);

    CoreV1Api core = new CoreV1Api(admin);
    String ns = "enterprise-gateway";
    if (!cluster.ops().namespaceExists(ns)) {
      cluster.ops().namespace(ns, Map.of());
    }
    for (Object o : Yaml.loadAll(new File("../examples/kubernetes/sidecar-config.yaml"))) {
      if (o instanceof io.kubernetes.client.openapi.models.V1ConfigMap cm) {
        applyConfigMap(core, cm);
      } else if (o instanceof io.kubernetes.client.openapi.models.V1Secret secret) {
        applySecret(core, secret);
      }
    }
    String token = java.util.HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(32));
    applySecret(core, new io.kubernetes.client.openapi.models.V1Secret().apiVersion("v1").kind("Secret")
        .metadata(new V1ObjectMeta().name("kernel-pool-token").namespace(ns)).stringData(Map.of("token", token)));
    byte[] stored = core.readNamespacedSecret("kernel-pool-token", ns).execute().getData().get("token");
    assertThat(new String(stored, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(token);
  }

  private static int indexOf(List<String> lines, String text) {
    String all = String.join(" ", lines).replaceAll("\\s+", " ");
    return all.indexOf(text);
  }

  private static void applyConfigMap(CoreV1Api core, io.kubernetes.client.openapi.models.V1ConfigMap cm) throws Exception {
    try {
      core.createNamespacedConfigMap(cm.getMetadata().getNamespace(), cm).execute();
    } catch (io.kubernetes.client.openapi.ApiException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      core.replaceNamespacedConfigMap(cm.getMetadata().getName(), cm.getMetadata().getNamespace(), cm).execute();
    }
  }

  private static void applySecret(CoreV1Api core, io.kubernetes.client.openapi.models.V1Secret secret) throws Exception {
    try {
      core.createNamespacedSecret(secret.getMetadata().getNamespace(), secret).execute();
    } catch (io.kubernetes.client.openapi.ApiException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      core.replaceNamespacedSecret(secret.getMetadata().getName(), secret.getMetadata().getNamespace(), secret).execute();
    }
  }
}
