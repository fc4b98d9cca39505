package dev.kernelpool.bridge.sidecar;

import dev.kernelpool.k8s.testing.ClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared sidecar suite on a real kube-apiserver, etcd and controller-manager (v1.20, from
 * {@code KERNEL_POOL_K8S_HOME}): the sidecar acts as the service-account user with exactly the
 * shipped RBAC; its kubelet stand-in runs real kernels.
 */
class RealKubernetesSidecarIT extends KubernetesSidecarSuite {
  @RegisterExtension static final ClusterExtension CLUSTER = ClusterExtension.real(HoldingRuntime::new);
}
