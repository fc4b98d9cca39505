package dev.kernelpool.bridge.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kernelpool.bridge.launcher.LauncherResponse;
import dev.kernelpool.bridge.pool.PoolKernel;
import dev.kernelpool.bridge.testing.PythonPeer;
import dev.kernelpool.bridge.wire.ConnectionFiles;
import dev.kernelpool.core.snapshot.MemberState;
import dev.kernelpool.k8s.pods.PoolLabels;
import dev.kernelpool.k8s.testing.ClusterExtension;
import dev.kernelpool.k8s.testing.RealNode;
import dev.kernelpool.k8s.testing.RealTestCluster;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared sidecar suite on a real node: kube-apiserver, etcd and controller-manager v1.20 with
 * kubelet, kube-scheduler, containerd and runc (from {@code KERNEL_POOL_K8S_HOME} and {@code
 * KERNEL_POOL_NODE_HOME}). Pool pods are containers of the kernel image EG's Kubernetes kernelspecs
 * run (its own {@code bootstrap-kernel.sh} and EG's {@code launch_ipykernel.py}), with their own
 * address on the node's bridge; they report to the sidecar at the bridge's gateway, and the host
 * reaches their kernels at the pod's IP. The sidecar acts as the service-account user with the
 * shipped RBAC.
 */
class RealNodeSidecarIT extends KubernetesSidecarSuite {
  private static final String MEMORY_LIMIT = "256Mi";
  @RegisterExtension static final ClusterExtension CLUSTER = ClusterExtension.realNode(); // its close fails the class if the node left anything behind
  private String image;
  private String extraResources = "";

  private RealNode node() {
    return ((RealTestCluster) cluster).node().orElseThrow();
  }

  @Override
  String image() {
    return image == null ? node().kernelImage() : image;
  }

  /** Small enough that the suite's pools fit the node's two cores, with a memory limit the kubelet enforces. */
  @Override
  String resources() {
    return "cpu=50m,memory=" + MEMORY_LIMIT + ",limits.memory=" + MEMORY_LIMIT + extraResources;
  }

  @Override
  String cpu() {
    return "50m";
  }

  @Override
  int bigPool() {
    return 12;
  }

  @Override
  String listenerHost() {
    return node().gateway();
  }

  /** The node's pause image: the container runs and its kernel never reports, so the pod stays starting. */
  @Override
  void holdKernels(String namespace) {
    image = node().pauseImage();
  }

  /** The cgroup freezer: every process of the pod stops, as on a hung node. */
  @Override
  void freeze(V1Pod pod, PoolKernel kernel, boolean frozen) throws Exception {
    node().freeze(pod.getMetadata().getUid(), frozen);
  }

  @Override
  void assertRanInItsContainer(V1Pod claimed, LauncherResponse r) throws Exception {
    V1Pod pod = ops.core().readNamespacedPod(claimed.getMetadata().getName(), ns).execute();
    String uid = pod.getMetadata().getUid();
    assertThat(r.connectionInfo().ip()).as("EG gets the pod's address, not the 0.0.0.0 EG's launcher binds")
        .isEqualTo(pod.getStatus().getPodIP());
    assertThat(pod.getStatus().getPodIP()).startsWith(node().gateway().substring(0, node().gateway().lastIndexOf('.') + 1));
    V1ContainerStatus container = pod.getStatus().getContainerStatuses().get(0);
    assertThat(container.getImage()).isEqualTo(node().kernelImage());
    assertThat(container.getContainerID()).startsWith("containerd://");
    JsonNode inside = execute(r, String.join("\n",
        "import os, socket",
        "print(socket.gethostname())",
        "print(os.getuid(), os.getgid())",
        "print(os.path.exists('/usr/local/bin/bootstrap-kernel.sh'))",
        "print(open('/sys/fs/cgroup/memory/memory.limit_in_bytes').read().strip())",
        "print([l for l in open('/proc/self/cgroup') if ':memory:' in l][0].strip())"));
    String[] lines = inside.path("stdout").asText().split("\n");
    assertThat(lines[0]).as("the kernel's hostname is its pod's").isEqualTo(pod.getMetadata().getName());
    assertThat(lines[1]).as("the image's user").isEqualTo("1000 100");
    assertThat(lines[2]).as("the kernel image's bootstrap").isEqualTo("True");
    assertThat(lines[3]).as("the kubelet's memory limit").isEqualTo(Long.toString(256L * 1024 * 1024));
    assertThat(lines[4]).as("the kernel's cgroup is its pod's").contains("pod" + uid);
    Path cgroup = node().podCgroup("memory", uid).orElseThrow();
    assertThat(Files.readString(cgroup.resolve("memory.limit_in_bytes")).strip()).isEqualTo(Long.toString(256L * 1024 * 1024));
  }

  private java.util.List<V1Pod> livePoolPods() throws ApiException {
    return poolPods().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  /** The pod's container state once the kubelet has ended it: its reason ({@code OOMKilled}, ...). */
  private String endedReason(String podName) throws ApiException {
    V1Pod pod = ops.core().readNamespacedPod(podName, ns).execute();
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return "";
    }
    V1ContainerStateTerminated terminated = pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
    return terminated == null ? "" : terminated.getReason();
  }

  private static final String ALLOCATE_PAST_THE_LIMIT = "chunks = [bytearray(16 * 1024 * 1024) for _ in range(40)]";

  /**
   * A warm kernel that goes over its memory limit (here: its warm-up code could, or a leak in an
   * image) is OOM-killed by the kernel in its cgroup; the pod ends (restartPolicy Never), the pool
   * takes it out and starts a replacement, and no claim is ever given the dead one.
   */
  @Test
  void aPoolKernelOomKilledByItsCgroupIsReplacedAndNeverHandedOut() throws Exception {
    Sidecar sidecar = sidecar("replica-0", 1);
    await().atMost(WAIT).until(() -> sidecar.registry().count(MemberState.WARM) == 1);
    PoolKernel warm = sidecar.registry().all().get(0);
    PythonPeer.run("jc_send.py", ConnectionFiles.toJson(warm.launch().orElseThrow().connectionInfo()).toString(), ALLOCATE_PAST_THE_LIMIT);
    // the pool deletes the ended pod at once (the real node may remove it before a read of ours),
    // so how it ended is read from the pool's Ended event, which names the kubelet's reason
    await().atMost(Duration.ofSeconds(60)).until(() -> ops.events(ns).stream()
        .anyMatch(e -> "Ended".equals(e.getReason()) && warm.id().equals(e.getInvolvedObject().getName())
            && e.getMessage().contains("OOMKilled")));
    assertReplacedAndNeverHandedOut(sidecar, warm, "after-oom");
  }

  /**
   * After a warm kernel ended: a warm replacement is there, the ended one is out of the registry,
   * and a claim (as kernel {@code kernelId}) gets another.
   */
  private void assertReplacedAndNeverHandedOut(Sidecar sidecar, PoolKernel ended, String kernelId) throws Exception {
    await().atMost(WAIT).until(() -> sidecar.registry().all().stream()
        .anyMatch(k -> k.state() == MemberState.WARM && !k.id().equals(ended.id())));
    assertThat(sidecar.registry().get(ended.id())).as("the ended kernel is out of the registry").isEmpty();
    SidecarFixture.Answer hit = SidecarFixture.claim(sidecar, eg, kernelId, Map.of("KERNEL_NAMESPACE", ns));
    assertThat(hit.status()).isEqualTo(200);
    assertThat(hit.body().path("pool_kernel").asText()).isNotEqualTo(ended.id());
    SidecarFixture.shutdown(eg.await(kernelId, Duration.ofSeconds(30)));
  }

  /**
   * A claimed kernel over its limit dies as a cold one would: OOM-killed, its pod ended with the
   * reason EG and the user can read; the pool neither offers nor restarts it (it is EG's), and
   * refills for the next launch.
   */
  @Test
  void aClaimedKernelOomKilledDiesAsAColdOneWouldAndThePoolLeavesItToEg() throws Exception {
    Sidecar sidecar = sidecar("replica-0", 1);
    await().atMost(WAIT).until(() -> sidecar.registry().count(MemberState.WARM) == 1);
    SidecarFixture.Answer hit = SidecarFixture.claim(sidecar, eg, "greedy", Map.of("KERNEL_NAMESPACE", ns));
    assertThat(hit.status()).isEqualTo(200);
    String pod = hit.body().path("pool_kernel").asText();
    LauncherResponse r = eg.await("greedy", Duration.ofSeconds(30));
    PythonPeer.run("jc_send.py", ConnectionFiles.toJson(r.connectionInfo()).toString(), ALLOCATE_PAST_THE_LIMIT);
    await().atMost(Duration.ofSeconds(60)).until(() -> "OOMKilled".equals(endedReason(pod)));
    V1Pod ended = ops.core().readNamespacedPod(pod, ns).execute();
    // ended, either way: EG's bootstrap (bash, the container's PID 1) outlives the OOM-killed Python and
    // exits 0, so the pod reads Succeeded with the reason OOMKilled; EG's proxy takes both as a dead kernel
    assertThat(ended.getStatus().getPhase()).isIn("Failed", "Succeeded");
    assertThat(label(ended, PoolLabels.STATE)).as("still EG's").isEqualTo("claimed");
    await().atMost(WAIT).until(() -> sidecar.registry().count(MemberState.WARM) == 1);
    assertThat(sidecar.registry().get(pod)).isEmpty();
  }

  /**
   * The kubelet's eviction manager evicts a pool pod: here because its kernel wrote more to its
   * container's disk than the kernelspec's {@code limits.ephemeral-storage} (the same manager, the
   * same outcome as an eviction under memory pressure, whose 50 MiB threshold a test cannot reach
   * safely on a shared machine). The pod ends {@code Failed} with reason {@code Evicted}; the pool
   * takes it out, says so in its Ended event with the kubelet's message, replaces it, and never
   * hands it out.
   */
  @Test
  void aPoolPodEvictedByItsKubeletIsReplacedAndNeverHandedOut() throws Exception {
    extraResources = ",limits.ephemeral-storage=" + DISK_LIMIT;
    Sidecar sidecar = sidecar("replica-0", 1);
    await().atMost(WAIT).until(() -> sidecar.registry().count(MemberState.WARM) == 1);
    PoolKernel warm = sidecar.registry().all().get(0);
    V1Pod pod = ops.core().readNamespacedPod(warm.id(), ns).execute();
    assertThat(pod.getSpec().getContainers().get(0).getResources().getLimits())
        .containsEntry("ephemeral-storage", io.kubernetes.client.custom.Quantity.fromString(DISK_LIMIT));
    PythonPeer.run("jc_send.py", ConnectionFiles.toJson(warm.launch().orElseThrow().connectionInfo()).toString(), WRITE_PAST_THE_DISK_LIMIT);
    // the eviction manager looks every 10 s at usage containerd samples every 10 s
    await().atMost(Duration.ofSeconds(90)).until(() -> ops.events(ns).stream()
        .anyMatch(e -> "Ended".equals(e.getReason()) && warm.id().equals(e.getInvolvedObject().getName())
            && e.getMessage().contains("Evicted") && e.getMessage().contains("ephemeral")));
    // the kubelet's own event, which its event recorder sends after the pod's status (rate-limited:
    // on a busy run none of its events had arrived when the pool had already replaced the pod)
    await().atMost(Duration.ofSeconds(60)).until(() -> ops.events(ns).stream().anyMatch(e -> "Evicted".equals(e.getReason())
        && warm.id().equals(e.getInvolvedObject().getName()) && e.getSource() != null && "kubelet".equals(e.getSource().getComponent())));
    assertReplacedAndNeverHandedOut(sidecar, warm, "after-eviction");
  }

  private static final String DISK_LIMIT = "32Mi";
  private static final String WRITE_PAST_THE_DISK_LIMIT = "open('/tmp/fill', 'wb').write(b'x' * (64 * 1024 * 1024))";

  /** Someone deletes a warm pool pod (a user with delete rights, a node drain): the pool replaces it. */
  @Test
  void aWarmPoolPodDeletedFromOutsideIsReplaced() throws Exception {
    Sidecar sidecar = sidecar("replica-0", 1);
    await().atMost(WAIT).until(() -> sidecar.registry().count(MemberState.WARM) == 1);
    String gone = sidecar.registry().all().get(0).id();
    ops.deletePod(ns, gone);
    await().atMost(WAIT).until(() -> sidecar.registry().all().stream()
        .anyMatch(k -> k.state() == MemberState.WARM && !k.id().equals(gone)));
    assertThat(sidecar.registry().get(gone)).isEmpty();
  }

  /**
   * A kernelspec whose image the registry does not have (gone, misspelt): the kubelet reports
   * ImagePullBackOff; the leader deletes the pod with a Warning Event saying why, counts it
   * ({@code kernelpool_kernel_start_failures_total{reason="image_pull"}}), and creates no pod of that
   * profile during its back-off, instead of a new one at every reconcile.
   */
  @Test
  void podsOfAnImageThatCannotBePulledStopBeingCreatedWithAnEventAndAMetric() throws Exception {
    image = node().registry() + "/realnode/absent:none";
    Sidecar sidecar = sidecar("replica-0", 2);
    await().atMost(WAIT).until(() -> sidecar.metrics().startFailures("image_pull") == 2);
    await().atMost(Duration.ofSeconds(30)).until(() -> ops.events(ns).stream()
        .filter(e -> "ImagePullFailed".equals(e.getReason())).count() == 2);
    assertThat(ops.events(ns).stream().filter(e -> "ImagePullFailed".equals(e.getReason())).findFirst().orElseThrow().getMessage())
        .contains(image, "cannot be pulled", "ImagePullBackOff", "a back-off from 5 min");
    // deleted (a real kubelet may keep a deleted pod Terminating for a minute: its container GC)
    await().atMost(Duration.ofSeconds(30)).until(() -> livePoolPods().isEmpty());
    long created = ops.events(ns).stream().filter(e -> "Created".equals(e.getReason())).count();
    // the pool stays empty and quiet: no pod created through several reconciles (resync 2 s)
    await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(15)).until(() -> livePoolPods().isEmpty()
        && ops.events(ns).stream().filter(e -> "Created".equals(e.getReason())).count() == created);
    assertThat(created).isEqualTo(2);
    assertThat(sidecar.registry().all()).isEmpty();
  }

  /**
   * The kubelet stops (a crash, an upgrade) under a live pool. The node's controller would mark the
   * node's Ready condition Unknown and its pods not ready 40 s after the last status (the control
   * plane here runs no node-lifecycle controller: the test makes those two writes as it does). While
   * so, the node's warm kernels still answer, but none is handed out: the node's pods would be
   * evicted if it stayed away. The kubelet started again, it posts the node Ready and its pods ready,
   * and the same kernels, never replaced, are handed out again.
   */
  @Test
  void whileItsKubeletIsDownAndItsNodeNotReadyNoKernelOfTheNodeIsHandedOutAndAfterTheKubeletsRestartTheSameOnesAre()
      throws Exception {
    Sidecar sidecar = sidecar("replica-0", 1);
    await().atMost(WAIT).until(() -> sidecar.registry().count(MemberState.WARM) == 1);
    String warm = sidecar.registry().all().get(0).id();
    node().stopKubelet();
    try {
      markNotReadyAsTheNodeControllerWould();
      await().atMost(WAIT).until(() -> sidecar.registry().get(warm).isEmpty());
      SidecarFixture.Answer miss = SidecarFixture.claim(sidecar, eg, "while-not-ready", Map.of("KERNEL_NAMESPACE", ns));
      assertThat(miss.body().path("reason").asText()).as("%s", miss.body()).isEqualTo("no_warm_kernel");
      assertThat(ops.core().readNamespacedPod(warm, ns).execute().getMetadata().getDeletionTimestamp())
          .as("kept: a kubelet's restart is not the end of its node's kernels").isNull();
    } finally {
      node().startKubelet();
    }
    await().atMost(Duration.ofSeconds(90)).until(() -> sidecar.registry().get(warm).map(k -> k.state() == MemberState.WARM).orElse(false));
    // wait for every pod the pool started meanwhile to be warm, so the claim below has a warm choice only
    await().atMost(WAIT).until(() -> sidecar.registry().count(MemberState.STARTING) == 0);
    SidecarFixture.Answer hit = SidecarFixture.claim(sidecar, eg, "after-restart", Map.of("KERNEL_NAMESPACE", ns));
    assertThat(hit.status()).as("%s", hit.body()).isEqualTo(200);
    assertThat(ops.core().readNamespacedPod(warm, ns).execute().getStatus().getPhase()).isEqualTo("Running");
    SidecarFixture.shutdown(eg.await("after-restart", Duration.ofSeconds(30)));
  }

  /** What kube-controller-manager's node-lifecycle controller writes when a node stops posting its status. */
  private void markNotReadyAsTheNodeControllerWould() throws ApiException {
    io.kubernetes.client.openapi.models.V1Node n = ops.core().readNode(node().name()).execute();
    n.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready")).forEach(c -> c.status("Unknown")
        .reason("NodeStatusUnknown").message("Kubelet stopped posting node status."));
    ops.core().replaceNodeStatus(node().name(), n).execute();
    for (V1Pod p : ops.pods(ns, "")) {
      if (node().name().equals(p.getSpec().getNodeName()) && p.getStatus().getConditions() != null) {
        p.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready")).forEach(c -> c.status("False"));
        ops.core().replaceNamespacedPodStatus(p.getMetadata().getName(), ns, p).execute();
      }
    }
  }

  /** As EG deletes kernel pods: at once, so the node's room is not held for each pod's grace period. */
  @Override
  void removeNamespace() throws ApiException {
    ops.deletePodsNow(ns);
    super.removeNamespace();
  }
}
