package dev.kernelpool.bridge.eg;

import dev.kernelpool.k8s.testing.ClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Enterprise Gateway Kubernetes suite on the in-memory API server. */
class KubernetesGatewayIT extends KubernetesGatewaySuite {
  @RegisterExtension static final ClusterExtension CLUSTER = ClusterExtension.inMemory(KubernetesGatewaySuite::kernels);
}
