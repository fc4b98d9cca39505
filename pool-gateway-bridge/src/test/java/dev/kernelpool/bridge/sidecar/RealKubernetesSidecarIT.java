package dev.kernelpool.bridge.sidecar;

import dev.kernelpool.k8s.testing.RealTestCluster;
import dev.kernelpool.k8s.testing.TestCluster;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared sidecar suite on a real kube-apiserver, etcd and controller-manager (v1.20, from
 * {@code KERNEL_POOL_K8S_HOME}): the sidecar acts as the service-account user with exactly the
 * shipped RBAC; its kubelet stand-in runs real kernels.
 */
class RealKubernetesSidecarIT extends KubernetesSidecarSuite {
  @TempDir static Path dir;
  private static HoldingRuntime runtime;
  private static RealTestCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    runtime = new HoldingRuntime(directory(dir, "pods"));
    Optional<RealTestCluster> started = RealTestCluster.start(dir.resolve("cluster"), runtime);
    Assumptions.assumeTrue(started.isPresent(), "no real control plane (KERNEL_POOL_K8S_HOME)");
    cluster = started.get();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
    runtime.stopAll();
  }

  @Override
  TestCluster cluster() {
    return cluster;
  }

  @Override
  HoldingRuntime runtime() {
    return runtime;
  }

  @Override
  Path dir() {
    return dir;
  }
}
