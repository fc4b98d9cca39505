package dev.kernelpool.bridge.eg;

import dev.kernelpool.k8s.testing.InMemoryCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The Enterprise Gateway Kubernetes suite on the in-memory API server. */
class KubernetesGatewayIT extends KubernetesGatewaySuite {
  @TempDir static Path temp;

  @BeforeAll
  static void startAll() throws Exception {
    Path home = EnterpriseGateway.home();
    dir = temp;
    kernels = kernels(home, dir);
    cluster = new InMemoryCluster(kernels);
    start(home, cluster.adminKubeconfig(dir));
  }
}
