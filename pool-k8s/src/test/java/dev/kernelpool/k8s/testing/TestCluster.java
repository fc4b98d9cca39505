package dev.kernelpool.k8s.testing;

import dev.kernelpool.k8s.cluster.KubeClients;
import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
import java.time.Duration;

/**
 * A Kubernetes API server for the shared Kubernetes suites, which are written once and run on
 * both: the project's in-memory server ({@link InMemoryCluster}: fast, fault switches, {@code
 * pods/resize}) and a real kube-apiserver, etcd and controller-manager ({@link RealTestCluster}:
 * real RBAC, quota controller, optimistic concurrency, graceful deletion, no {@code pods/resize}).
 * A kubelet plays its part on either, running what a {@link KubeletSimulator.PodRuntime} runs.
 */
public interface TestCluster extends AutoCloseable {
  /** The namespace the pool's Lease and connection Secrets live in (the sidecar's own). */
  String POOL_NAMESPACE = "kernel-pool";

  /** {@code in-memory} or {@code real}: for test names and messages. */
  String name();

  /** A client with every right. */
  ApiClient admin();

  ClusterOps ops();

  /**
   * Clients acting as the pool does: on the real server as the service-account user, with exactly
   * what {@code examples/kubernetes/rbac.yaml} grants; every connection goes through {@link
   * #partition(boolean)}.
   */
  KubeClients poolClients(Duration callTimeout) throws IOException;

  /** The lines of a sidecar's {@code kubernetes:} section that connect it as {@link #poolClients} do. */
  String sidecarConnection();

  /** A kubeconfig file with every right, for a peer that reads one (Enterprise Gateway); written into {@code dir} where needed. */
  java.nio.file.Path adminKubeconfig(java.nio.file.Path dir) throws IOException;

  /** Cuts (or restores) every connection of the pool's clients, as a network partition would. */
  void partition(boolean cut);

  /** Compacts the server's change history up to now. */
  void compact() throws IOException, InterruptedException;

  /** On: deleted pods stay Terminating until switched off, as with a kubelet slow to confirm. */
  void holdPodDeletions(boolean hold);

  /** What runs this cluster's pods where a kubelet stand-in runs them; empty on a real node. */
  java.util.Optional<KubeletSimulator.PodRuntime> podRuntime();

  /** Whether {@code pods/resize} exists (Kubernetes 1.33+; the in-memory server has it). */
  boolean resizeSupported();

  @Override
  void close();
}
