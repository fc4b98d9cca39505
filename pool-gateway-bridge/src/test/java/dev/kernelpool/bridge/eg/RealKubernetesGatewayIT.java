package dev.kernelpool.bridge.eg;

import dev.kernelpool.k8s.testing.RealTestCluster;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Enterprise Gateway Kubernetes suite on a real kube-apiserver, etcd and controller-manager:
 * EG's {@code KubernetesProcessProxy} acts as the cluster's administrator (EG's own RBAC is EG's
 * chart's business), the sidecar as the service-account user with the shipped RBAC.
 */
class RealKubernetesGatewayIT extends KubernetesGatewaySuite {
  @TempDir static Path temp;

  @BeforeAll
  static void startAll() throws Exception {
    Path home = EnterpriseGateway.home();
    dir = temp;
    kernels = kernels(home, dir);
    Optional<RealTestCluster> started = RealTestCluster.start(dir.resolve("cluster"), kernels);
    Assumptions.assumeTrue(started.isPresent(), "no real control plane (KERNEL_POOL_K8S_HOME)");
    cluster = started.get();
    start(home, cluster.adminKubeconfig(dir));
  }
}
