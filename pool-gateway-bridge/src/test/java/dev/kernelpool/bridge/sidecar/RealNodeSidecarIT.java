package dev.kernelpool.bridge.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kernelpool.bridge.launcher.LauncherResponse;
import dev.kernelpool.bridge.pool.PoolKernel;
import dev.kernelpool.k8s.testing.RealNode;
import dev.kernelpool.k8s.testing.RealTestCluster;
import dev.kernelpool.k8s.testing.TestCluster;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

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
  @TempDir static Path dir;
  private static RealTestCluster cluster;
  private static RealNode node;
  private String image;

  @BeforeAll
  static void startCluster() throws Exception {
    Optional<RealTestCluster> started = RealTestCluster.startWithNode(dir.resolve("cluster"));
    Assumptions.assumeTrue(started.isPresent(), "no real control plane and node (KERNEL_POOL_K8S_HOME, KERNEL_POOL_NODE_HOME)");
    cluster = started.get();
    node = cluster.node().orElseThrow();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close(); // fails the class if the node left a process, mount, network namespace or bridge behind
    }
  }

  @Override
  TestCluster cluster() {
    return cluster;
  }

  @Override
  HoldingRuntime runtime() {
    throw new UnsupportedOperationException("a real kubelet runs this cluster's pods");
  }

  @Override
  Path dir() {
    return dir;
  }

  @Override
  String image() {
    return image == null ? node.kernelImage() : image;
  }

  /** Small enough that the suite's pools fit the node's two cores, with a memory limit the kubelet enforces. */
  @Override
  String resources() {
    return "cpu=50m,memory=" + MEMORY_LIMIT + ",limits.memory=" + MEMORY_LIMIT;
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
    return node.gateway();
  }

  /** An image the node's registry does not have: the kubelet never gets a container started. */
  @Override
  void holdKernels(String namespace) {
    image = node.registry() + "/realnode/absent:none";
  }

  /** The cgroup freezer: every process of the pod stops, as on a hung node. */
  @Override
  void freeze(V1Pod pod, PoolKernel kernel, boolean frozen) throws Exception {
    node.freeze(pod.getMetadata().getUid(), frozen);
  }

  @Override
  void assertRanInItsContainer(V1Pod claimed, LauncherResponse r) throws Exception {
    V1Pod pod = ops.core().readNamespacedPod(claimed.getMetadata().getName(), ns).execute();
    String uid = pod.getMetadata().getUid();
    assertThat(r.connectionInfo().ip()).as("EG gets the pod's address, not the 0.0.0.0 EG's launcher binds")
        .isEqualTo(pod.getStatus().getPodIP());
    assertThat(pod.getStatus().getPodIP()).startsWith(node.gateway().substring(0, node.gateway().lastIndexOf('.') + 1));
    V1ContainerStatus container = pod.getStatus().getContainerStatuses().get(0);
    assertThat(container.getImage()).isEqualTo(node.kernelImage());
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
    Path cgroup = node.podCgroup("memory", uid).orElseThrow();
    assertThat(Files.readString(cgroup.resolve("memory.limit_in_bytes")).strip()).isEqualTo(Long.toString(256L * 1024 * 1024));
  }

  /** As EG deletes kernel pods: at once, so the node's room is not held for each pod's grace period. */
  @Override
  void removeNamespace() throws ApiException {
    ops.deletePodsNow(ns);
    super.removeNamespace();
  }
}
