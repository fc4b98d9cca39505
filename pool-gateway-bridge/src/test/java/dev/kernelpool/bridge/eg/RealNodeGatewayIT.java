package dev.kernelpool.bridge.eg;

import dev.kernelpool.bridge.eg.KubernetesGateway.Sizes;
import dev.kernelpool.k8s.testing.RealTestCluster;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Enterprise Gateway Kubernetes suite on a real node: EG's own {@code KubernetesProcessProxy}
 * creates cold pods from EG's {@code kernel-pod.yaml.j2}, which the scheduler places and the
 * kubelet runs in containers of the kernel image (EG's {@code bootstrap-kernel.sh} and launcher);
 * pool pods are the same image. EG's kernels report to EG at the node's bridge address
 * ({@code EG_RESPONSE_IP}), pool kernels to the sidecar there; EG talks to both at their pod IPs.
 */
class RealNodeGatewayIT extends KubernetesGatewaySuite {
  @TempDir static Path temp;

  @BeforeAll
  static void startAll() throws Exception {
    Path home = EnterpriseGateway.home();
    dir = temp;
    Optional<RealTestCluster> started = RealTestCluster.startWithNode(dir.resolve("cluster"));
    Assumptions.assumeTrue(started.isPresent(), "no real control plane and node (KERNEL_POOL_K8S_HOME, KERNEL_POOL_NODE_HOME)");
    cluster = started.get();
    node = started.get().node().orElseThrow();
    sizes = Sizes.NODE;
    start(home, cluster.adminKubeconfig(dir));
  }
}
