package dev.kernelpool.bridge.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kernelpool.bridge.bench.EnterpriseGatewayClient;
import dev.kernelpool.bridge.eg.EnterpriseGateway;
import dev.kernelpool.k8s.pods.PoolLabels;
import dev.kernelpool.k8s.testing.ClusterExtension;
import dev.kernelpool.k8s.testing.RealNode;
import dev.kernelpool.k8s.testing.RealTestCluster;
import dev.kernelpool.k8s.testing.TestCluster;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Pod;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guide's deployment ({@code docs/kubernetes.md}, "Deploying beside EG"), for real: EG 3.3.0's
 * own Helm chart rendered by a real Helm with {@code examples/kubernetes/helm/values.yaml} and
 * passed through {@code post-render.sh}, the manifests of {@code examples/kubernetes/} applied with
 * {@code kubectl} in the guide's order, on the real control plane with a real node. EG and the
 * sidecar run in one pod, two replicas, and kernels (cold and pooled) in theirs, from the three
 * images {@code examples/docker/build-images.sh} builds from Debian packages, pulled by the kubelet
 * from the node's registry; the sidecar
 * acts as EG's service account, which holds EG's chart's roles and the shipped {@code rbac.yaml}.
 * A user launches through EG's REST API from the host: cold first (EG's own launcher and pod), then
 * warm from the pool the sidecar filled after learning that launch.
 *
 * <p>What this machine lacks, and only that, is adapted (every change is in {@link #site}): images
 * come from the node's registry (as from a site's own registry), kernels are sized for a node of
 * two cores, the Kernel Image Puller is off (no image of it here), the PDB is {@code policy/v1beta1}
 * (a 1.20 server, as the guide says), and as there are no Services (no kube-proxy) both containers
 * get the API server's address in {@code KUBERNETES_SERVICE_HOST/PORT}, which a kubelet otherwise
 * sets from the {@code kubernetes} Service. The control plane's Deployment and ReplicaSet
 * controllers are started beside the ones {@code ../shared/k8s} runs, as any cluster has them.
 */
class DocumentedDeploymentIT {
  @RegisterExtension static final ClusterExtension CLUSTER = ClusterExtension.realNode();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Path EXAMPLES = Path.of("../examples");
  private static final Path JAR = Path.of("target/kernel-pool.jar");
  private static final String EG_NS = "enterprise-gateway";
  private static final String TEAM = "team-a";
  private static final String CPU = "50m";
  private static final String MEMORY = "256Mi";
  private static final Duration ROLLOUT = Duration.ofMinutes(5);

  @TempDir Path dir;
  private RealTestCluster cluster;
  private RealNode node;
  private Path kubeconfig;
  private final List<String> kernels = new ArrayList<>();
  private EnterpriseGatewayClient eg;
  private AutoCloseable workloadControllers;

  @AfterEach
  void deleteKernels() throws Exception {
    try {
      for (String k : eg == null ? List.<String>of() : kernels) {
        eg.delete(k);
      }
    } finally {
      if (workloadControllers != null) {
        workloadControllers.close();
      }
    }
  }

  @Test
  void egAndTheSidecarInOnePodServeAColdThenAWarmLaunch(TestCluster started) throws Exception {
    EgChart.requireKubectl();
    Path egHome = EnterpriseGateway.home();
    cluster = (RealTestCluster) started;
    node = cluster.node().orElseThrow();
    kubeconfig = cluster.adminKubeconfig(dir);
    // a cluster's Deployment and ReplicaSet controllers (../shared/k8s starts only quota, namespace and SA ones)
    workloadControllers = cluster.cluster().startControllers("deployment,replicaset");

    // the images: built from Debian packages, pushed to the registry the kubelet pulls from
    Map<String, Path> built = build(egHome);
    Map<String, String> images = new LinkedHashMap<>();
    images.put("ghcr.io/kernel-pool/kernel-pool:0.1.0", node.push(built.get("sidecar"), "kernel-pool", "0.1.0"));
    images.put("elyra/enterprise-gateway:3.3.0", node.push(built.get("enterprise-gateway"), "enterprise-gateway", "3.3.0"));
    images.put("elyra/kernel-py:3.3.0", node.push(built.get("kernel-py"), "kernel-py", "3.3.0"));
    assertSidecarImageIsTheDockerfiles(built.get("sidecar"));

    // the guide, step by step
    kubectl("create", "namespace", EG_NS);
    kubectlApply(site(Files.readString(EXAMPLES.resolve("kubernetes/rbac.yaml")), images));
    kubectlApply(site(Files.readString(EXAMPLES.resolve("kubernetes/sidecar-config.yaml")), images));
    kubectlApply(site(Files.readString(EXAMPLES.resolve("kubernetes/kernelspec-configmap.yaml")), images));
    kubectlApply(site(Files.readString(EXAMPLES.resolve("kubernetes/pdb.yaml")), images));
    String token = kubectl("-n", EG_NS, "create", "secret", "generic", "kernel-pool-token",
        "--from-literal=token=" + java.util.HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(32)),
        "--dry-run=client", "-o", "yaml");
    kubectlApply(token);
    String chart = EgChart.template(EgChart.chart(egHome), "enterprise-gateway", EG_NS, List.of(EgChart.VALUES),
        Map.of("image", images.get("elyra/enterprise-gateway:3.3.0"), "kip.enabled", false));
    kubectlApply(siteDeployment(site(EgChart.postRender(chart), images)));

    // a user's namespace with a quota, and the LimitRange the guide's step 6 asks for
    cluster.ops().namespace(TEAM, Map.of());
    cluster.ops().quota(TEAM, "compute", Map.of("requests.cpu", "2", "requests.memory", "16Gi", "pods", "100"));
    kubectlApply(site(Files.readString(EXAMPLES.resolve("kubernetes/limitrange.yaml")), images));

    AppsV1Api apps = new AppsV1Api(cluster.admin());
    await("EG's two replicas ready (" + EG_NS + ")").atMost(ROLLOUT).pollInterval(Duration.ofSeconds(2)).until(() -> {
      V1Deployment d = apps.readNamespacedDeployment("enterprise-gateway", EG_NS).execute();
      return d.getStatus() != null && Integer.valueOf(2).equals(d.getStatus().getReadyReplicas());
    });
    List<V1Pod> gateways = cluster.ops().core().listNamespacedPod(EG_NS).labelSelector("gateway-selector=enterprise-gateway")
        .execute().getItems();
    assertThat(gateways).hasSize(2);
    V1Pod gateway = gateways.get(0);
    assertRunsTheBuiltImages(gateway, images);
    eg = new EnterpriseGatewayClient(gateway.getStatus().getPodIP() + ":8888");
    await("EG answers").atMost(Duration.ofSeconds(60)).until(eg::kernelspecsAnswer);
    Map<String, String> alice = Map.of("KERNEL_USERNAME", "alice", "KERNEL_NAMESPACE", TEAM);

    // cold: no pool yet in team-a; the launch script misses and runs EG's own launcher
    EnterpriseGatewayClient.TimedLaunch cold = eg.timedLaunch("python_kubernetes_pooled", alice);
    kernels.add(cold.kernelId());
    V1Pod coldPod = kernelPod(cold.kernelId());
    assertThat(coldPod.getMetadata().getLabels()).doesNotContainKey(PoolLabels.MANAGED_BY);
    assertThat(egLog(gateway)).contains("kernel-pool: miss: no_warm_kernel; launching cold: python");

    // the sidecar learnt the launch: a warm kernel of its profile appears in team-a
    await("a warm pool kernel in " + TEAM).atMost(ROLLOUT).pollInterval(Duration.ofSeconds(1))
        .until(() -> !cluster.ops().pods(TEAM, PoolLabels.STATE + "=" + PoolLabels.STATE_WARM).isEmpty());
    // ... offered by the replica the launch goes through: each learns warm pods from its own informers
    // (pod and Secret), which can lag the API server's state on a busy node
    String sidecar = "http://" + gateway.getStatus().getPodIP() + ":8765/pools";
    await("the sidecar beside " + gateway.getMetadata().getName() + " offers a warm kernel in " + TEAM).atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200)).until(() -> offered(sidecar, TEAM) > 0);

    // warm: the same launch is a pool kernel, claimed (a patch only rbac.yaml grants: EG's roles cannot patch pods)
    EnterpriseGatewayClient.TimedLaunch warm = eg.timedLaunch("python_kubernetes_pooled", alice);
    kernels.add(warm.kernelId());
    V1Pod warmPod = kernelPod(warm.kernelId());
    assertThat(warmPod.getMetadata().getLabels()).as(() -> "a warm launch; " + logs(gateway))
        .containsEntry(PoolLabels.MANAGED_BY, PoolLabels.MANAGER)
        .containsEntry(PoolLabels.STATE, PoolLabels.STATE_CLAIMED);
    assertThat(warmPod.getMetadata().getAnnotations().get(PoolLabels.CLAIMED_BY)).isNotBlank();
    assertThat(List.of(coldPod, warmPod)).as("both kernels run the kernel image built here")
        .allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo(images.get("elyra/kernel-py:3.3.0")));
    assertThat(egLog(gateway)).contains("handed to kernel " + warm.kernelId());
    assertThat(eg.run(warm.kernelId(), "import socket; print(socket.gethostname())").strip()).isEqualTo(warmPod.getMetadata().getName());
    // the leader's Lease is in EG's namespace, held by one of the two EG pods (rbac.yaml's Role)
    String holder = new CoordinationV1Api(cluster.admin()).readNamespacedLease("kernel-pool-leader", EG_NS).execute()
        .getSpec().getHolderIdentity();
    assertThat(gateways).extracting(p -> p.getMetadata().getName()).contains(holder);
    System.out.printf("documented deployment: cold launch to first result %.0f ms, warm %.0f ms%n",
        cold.firstResultMillis(), warm.firstResultMillis());
  }

  /** Builds the sidecar image (from the jar this build packaged), EG's and the kernel's, cached under {@link RealNode#IMAGES}. */
  private static Map<String, Path> build(Path egHome) throws IOException, InterruptedException {
    assertThat(JAR).as("the jar (failsafe runs after package)").exists();
    ProcessBuilder builder = new ProcessBuilder("bash", EXAMPLES.resolve("docker/build-images.sh").toString(),
        RealNode.IMAGES.resolve("deployment").toString(), "sidecar", "enterprise-gateway", "kernel-py")
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().put("JAR", JAR.toAbsolutePath().toString());
    builder.environment().put("EG_HOME", egHome.toString());
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as("build-images.sh").isZero();
    Map<String, Path> built = new LinkedHashMap<>();
    out.lines().map(Path::of).forEach(a -> built.put(a.getFileName().toString().replace(".oci.tar", ""), a));
    return built;
  }

  /**
   * What a site changes in the shipped manifests: its registry's image names, and here the sizes of
   * a two-core node (kernels of 50m and 256Mi; the quota above holds the pools' tenth) and the PDB's
   * API version on a 1.20 server.
   */
  private static String site(String yaml, Map<String, String> images) {
    String out = yaml;
    for (Map.Entry<String, String> e : images.entrySet()) {
      out = out.replace(e.getKey(), e.getValue());
    }
    return out.replace("resources: {cpu: \"1\", memory: 2Gi}", "resources: {cpu: " + CPU + ", memory: " + MEMORY + "}")
        .replace("defaultRequest: {cpu: \"1\", memory: 2Gi}", "defaultRequest: {cpu: " + CPU + ", memory: " + MEMORY + "}")
        .replace("apiVersion: policy/v1\n", "apiVersion: policy/v1beta1\n");
  }

  /**
   * No Services here: both containers get the API server at the node bridge's address, which the
   * API server's certificate names ({@code RealTestCluster.startWithNode}). Applied as a site would,
   * with kustomize over what Helm rendered.
   */
  private String siteDeployment(String rendered) throws IOException, InterruptedException {
    URI api = URI.create(cluster.cluster().url());
    Path work = Files.createDirectories(dir.resolve("site"));
    Files.writeString(work.resolve("rendered.yaml"), rendered);
    String env = "        env:\n"
        + "          - {name: KUBERNETES_SERVICE_HOST, value: \"" + node.gateway() + "\"}\n"
        + "          - {name: KUBERNETES_SERVICE_PORT, value: \"" + api.getPort() + "\"}\n";
    Files.writeString(work.resolve("no-services.yaml"), "apiVersion: apps/v1\nkind: Deployment\n"
        + "metadata: {name: enterprise-gateway, namespace: " + EG_NS + "}\n"
        + "spec:\n  template:\n    spec:\n      containers:\n"
        + "      - name: enterprise-gateway\n" + env
        + "      - name: kernel-pool\n" + env);
    Files.writeString(work.resolve("kustomization.yaml"), "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        + "resources: [rendered.yaml]\npatches:\n  - path: no-services.yaml\n");
    return kubectl("kustomize", work.toString());
  }

  /** The sidecar image is what the Dockerfile describes: its entrypoint, command, user, folder, port and packages. */
  private static void assertSidecarImageIsTheDockerfiles(Path archive) throws Exception {
    String dockerfile = Files.readString(EXAMPLES.resolve("docker/Dockerfile"));
    String runtime = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
    JsonNode index = JSON.readTree(tarEntry(archive, "index.json"));
    JsonNode manifest = JSON.readTree(tarEntry(archive, blob(index.path("manifests").get(0).path("digest").asText())));
    JsonNode config = JSON.readTree(tarEntry(archive, blob(manifest.path("config").path("digest").asText()))).path("config");
    assertThat(config.path("Entrypoint")).isEqualTo(JSON.readTree(instruction(runtime, "ENTRYPOINT")));
    assertThat(config.path("Cmd")).isEqualTo(JSON.readTree(instruction(runtime, "CMD")));
    assertThat(config.path("User").asText()).isEqualTo(instruction(runtime, "USER"));
    assertThat(config.path("WorkingDir").asText()).isEqualTo(instruction(runtime, "WORKDIR"));
    assertThat(config.path("ExposedPorts").fieldNames()).toIterable().containsExactly(instruction(runtime, "EXPOSE") + "/tcp");
    Matcher packages = Pattern.compile("apt-get install -y --no-install-recommends ([^\\\\&\\n]+)").matcher(runtime);
    assertThat(packages.find()).as("the Dockerfile's apt-get install").isTrue();
    String layer = manifest.path("layers").get(0).path("digest").asText();
    Process status = new ProcessBuilder("bash", "-c", "tar -xOf \"$0\" \"$1\" | tar -xzOf - ./var/lib/dpkg/status",
        archive.toString(), blob(layer)).start();
    String installed = new String(status.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(status.waitFor()).isZero();
    for (String pkg : packages.group(1).trim().split("\\s+")) {
      assertThat(installed).as("dpkg status of the image").containsPattern("Package: " + Pattern.quote(pkg) + "\nStatus: install ok installed");
    }
  }

  private static String instruction(String dockerfile, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + " (.+)$").matcher(dockerfile);
    assertThat(m.find()).as(name + " in the Dockerfile").isTrue();
    return m.group(1).trim();
  }

  private static String blob(String digest) {
    return "blobs/" + digest.replace(':', '/');
  }

  private static String tarEntry(Path archive, String entry) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("tar", "-xOf", archive.toString(), entry).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("tar -xOf " + archive + " " + entry).isZero();
    return out;
  }

  /** The EG pod's containers run the images pushed to the registry: EG, the sidecar and both init containers. */
  private static void assertRunsTheBuiltImages(V1Pod pod, Map<String, String> images) {
    List<V1Container> all = new ArrayList<>(pod.getSpec().getContainers());
    all.addAll(pod.getSpec().getInitContainers());
    assertThat(all).extracting(V1Container::getImage).allMatch(images::containsValue);
    assertThat(pod.getStatus().getContainerStatuses()).extracting(V1ContainerStatus::getReady).containsOnly(true);
  }

  private V1Pod kernelPod(String kernelId) throws Exception {
    List<V1Pod> pods = cluster.ops().pods(TEAM, "kernel_id=" + kernelId);
    assertThat(pods).as("the pod of kernel " + kernelId).hasSize(1);
    return pods.get(0);
  }

  private String egLog(V1Pod gateway) throws Exception {
    return cluster.ops().core().readNamespacedPodLog(gateway.getMetadata().getName(), EG_NS).container("enterprise-gateway")
        .execute();
  }

  /** EG's and the sidecar's logs in {@code gateway}, for a failure's message (read only when it fails). */
  private String logs(V1Pod gateway) {
    try {
      String sidecar = cluster.ops().core().readNamespacedPodLog(gateway.getMetadata().getName(), EG_NS).container("kernel-pool")
          .execute();
      return "EG's log:\n" + egLog(gateway) + "\nthe sidecar's log:\n" + sidecar;
    } catch (Exception e) {
      return "(logs not readable: " + e.getMessage() + ")";
    }
  }

  /** Warm kernels in {@code namespace} that a replica's sidecar offers for claims, from its {@code /pools}. */
  private static long offered(String pools, String namespace) throws IOException, InterruptedException {
    HttpResponse<String> answer = HTTP.send(
        HttpRequest.newBuilder(URI.create(pools)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    long warm = 0;
    for (JsonNode ns : JSON.readTree(answer.body()).path("namespaces")) {
      if (ns.path("namespace").asText().equals(namespace)) {
        for (JsonNode p : ns.path("profiles")) {
          warm += p.path("warm").asLong();
        }
      }
    }
    return warm;
  }

  private String kubectl(String... args) throws IOException, InterruptedException {
    return kubectlWith(null, args);
  }

  private void kubectlApply(String yaml) throws IOException, InterruptedException {
    kubectlWith(yaml, "apply", "-f", "-");
  }

  private String kubectlWith(String stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    Path err = Files.createTempFile(dir, "kubectl", ".err");
    Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
    try (var in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", args) + ": " + Files.readString(err)).isZero();
    return out;
  }
}
