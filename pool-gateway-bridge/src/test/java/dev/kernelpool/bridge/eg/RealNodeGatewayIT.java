package dev.kernelpool.bridge.eg;

import dev.kernelpool.k8s.testing.ClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Enterprise Gateway Kubernetes suite on a real node: EG's own {@code KubernetesProcessProxy}
 * creates cold pods from EG's {@code kernel-pod.yaml.j2}, which the scheduler places and the
 * kubelet runs in containers of the kernel image (EG's {@code bootstrap-kernel.sh} and launcher);
 * pool pods are the same image. EG's kernels report to EG at the node's bridge address
 * ({@code EG_RESPONSE_IP}), pool kernels to the sidecar there; EG talks to both at their pod IPs.
 */
class RealNodeGatewayIT extends KubernetesGatewaySuite {
  @RegisterExtension static final ClusterExtension CLUSTER = ClusterExtension.realNode();
}
