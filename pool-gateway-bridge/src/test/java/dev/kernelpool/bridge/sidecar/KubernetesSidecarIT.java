package dev.kernelpool.bridge.sidecar;

import dev.kernelpool.k8s.testing.InMemoryCluster;
import dev.kernelpool.k8s.testing.TestCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The shared sidecar suite on the in-memory API server, whose kubelet simulator runs real kernels. */
class KubernetesSidecarIT extends KubernetesSidecarSuite {
  @TempDir static Path dir;
  private static HoldingRuntime runtime;
  private static InMemoryCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    runtime = new HoldingRuntime(directory(dir, "pods"));
    cluster = new InMemoryCluster(runtime);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
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
