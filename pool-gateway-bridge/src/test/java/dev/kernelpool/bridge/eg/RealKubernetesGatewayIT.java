package dev.kernelpool.bridge.eg;

import dev.kernelpool.k8s.testing.ClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Enterprise Gateway Kubernetes suite on a real kube-apiserver, etcd and controller-manager:
 * EG's {@code KubernetesProcessProxy} acts as the cluster's administrator (EG's own RBAC is EG's
 * chart's business), the sidecar as the service-account user with the shipped RBAC.
 */
class RealKubernetesGatewayIT extends KubernetesGatewaySuite {
  @RegisterExtension static final ClusterExtension CLUSTER = ClusterExtension.real(KubernetesGatewaySuite::kernels);
}
