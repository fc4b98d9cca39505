package dev.kernelpool.k8s.testing;

import dev.kernelpool.k8s.cluster.KubeClients;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.openapi.models.RbacV1Subject;
import io.kubernetes.client.openapi.models.V1ClusterRole;
import io.kubernetes.client.openapi.models.V1ClusterRoleBinding;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.util.Yaml;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shared suites' real server: {@link RealCluster} (kube-apiserver, etcd, controller-manager
 * v1.20) with the shipped {@code examples/kubernetes/rbac.yaml} applied unchanged but for what the
 * manifest says to adapt (the subject becomes this cluster's service-account user, the Role's
 * namespace its namespace), an {@link ApiKubelet}, and a {@link TcpPartition} in front of the
 * server for the pool's connections.
 */
public final class RealTestCluster implements TestCluster {
  /** The manifest under test, relative to a module's folder (where tests run). */
  public static final File RBAC = new File("../examples/kubernetes/rbac.yaml");

  private final RealCluster cluster;
  private final ApiClient admin;
  private final ClusterOps ops;
  private final TcpPartition relay;
  private final Path poolKubeconfig;
  private final Optional<ApiKubelet> kubelet;
  private final Optional<KubeletSimulator.PodRuntime> runtime;
  private final Optional<RealNode> node;

  private RealTestCluster(RealCluster cluster, Optional<KubeletSimulator.PodRuntime> runtime, Optional<RealNode> node)
      throws IOException, ApiException {
    this.cluster = cluster;
    this.admin = cluster.admin(Duration.ofSeconds(30));
    this.ops = new ClusterOps(admin, true);
    URI url = URI.create(cluster.url());
    this.relay = new TcpPartition(new InetSocketAddress(url.getHost(), url.getPort()));
    String kubeconfig = Files.readString(cluster.serviceAccountKubeconfig(), StandardCharsets.UTF_8)
        .replace(cluster.url(), "https://" + url.getHost() + ":" + relay.port());
    this.poolKubeconfig = cluster.dir().resolve("pool-via-relay.kubeconfig");
    Files.writeString(poolKubeconfig, kubeconfig, StandardCharsets.UTF_8);
    ops.namespace(POOL_NAMESPACE, Map.of());
    applyShippedRbac();
    this.kubelet = runtime.isPresent() ? Optional.of(new ApiKubelet(admin, runtime.get())) : Optional.empty();
    this.runtime = runtime;
    this.node = node;
  }

  /**
   * A started cluster in {@code dir}, or empty with one line on stderr when no control plane is
   * given ({@code KERNEL_POOL_K8S_HOME}; {@code .ci/run} sets it to {@code ../shared/k8s}).
   */
  public static Optional<RealTestCluster> start(Path dir, KubeletSimulator.PodRuntime runtime) throws Exception {
    Optional<Path> home = RealCluster.home();
    if (home.isEmpty()) {
      System.err.println("real control plane suites skipped: set KERNEL_POOL_K8S_HOME to a folder like ../shared/k8s (.ci/run does)");
      return Optional.empty();
    }
    RealCluster cluster = RealCluster.start(home.get(), dir);
    try {
      return Optional.of(new RealTestCluster(cluster, Optional.of(runtime), Optional.empty()));
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * A started cluster in {@code dir} whose pods a real node runs ({@link RealNode}: kubelet,
   * scheduler, containerd), or empty with one line on stderr when no control plane or no node is
   * given ({@code KERNEL_POOL_K8S_HOME}, {@code KERNEL_POOL_NODE_HOME}; {@code .ci/run} sets both).
   * The API server also listens on the node's bridge, under a certificate that names its address,
   * so what runs in a pod (EG, the sidecar) can call it.
   */
  public static Optional<RealTestCluster> startWithNode(Path dir) throws Exception {
    Optional<Path> home = RealCluster.home();
    Optional<Path> nodeHome = RealNode.home();
    if (home.isEmpty() || nodeHome.isEmpty()) {
      System.err.println("real node suites skipped: set KERNEL_POOL_K8S_HOME and KERNEL_POOL_NODE_HOME to folders like "
          + "../shared/k8s and ../shared/node (.ci/run does)");
      return Optional.empty();
    }
    RealNode.PodNetwork network = RealNode.PodNetwork.free();
    RealCluster cluster = RealCluster.start(home.get(), dir, network.apiServerSettings());
    RealNode node = null;
    try {
      node = RealNode.start(nodeHome.get(), cluster, "node1", network);
      return Optional.of(new RealTestCluster(cluster, Optional.empty(), Optional.of(node)));
    } catch (Exception e) {
      if (node != null) {
        node.close();
      }
      cluster.close();
      throw e;
    }
  }

  private void applyShippedRbac() throws IOException, ApiException {
    RbacAuthorizationV1Api rbac = new RbacAuthorizationV1Api(admin);
    RbacV1Subject subject = new RbacV1Subject().kind("ServiceAccount").name("kernel-pool").namespace(POOL_NAMESPACE);
    for (Object o : Yaml.loadAll(RBAC)) {
      if (o instanceof V1ClusterRole r) {
        rbac.createClusterRole(r).execute();
      } else if (o instanceof V1ClusterRoleBinding b) {
        rbac.createClusterRoleBinding(b.subjects(List.of(subject))).execute();
      } else if (o instanceof V1Role r) {
        r.getMetadata().setNamespace(POOL_NAMESPACE);
        rbac.createNamespacedRole(POOL_NAMESPACE, r).execute();
      } else if (o instanceof V1RoleBinding b) {
        b.getMetadata().setNamespace(POOL_NAMESPACE);
        rbac.createNamespacedRoleBinding(POOL_NAMESPACE, b.subjects(List.of(subject))).execute();
      } else {
        throw new IllegalStateException(RBAC + " holds a " + o.getClass().getSimpleName() + " this cluster does not apply");
      }
    }
  }

  public RealCluster cluster() {
    return cluster;
  }

  @Override
  public Optional<KubeletSimulator.PodRuntime> podRuntime() {
    return runtime;
  }

  /** The kubelet stand-in, on a cluster without a real node. */
  public ApiKubelet kubelet() {
    return kubelet.orElseThrow(() -> new IllegalStateException("this cluster's pods run on a real node"));
  }

  /** The real node, on a cluster started {@link #startWithNode with one}. */
  public Optional<RealNode> node() {
    return node;
  }

  @Override
  public String name() {
    return node.isPresent() ? "real-node" : "real";
  }

  @Override
  public ApiClient admin() {
    return admin;
  }

  @Override
  public ClusterOps ops() {
    return ops;
  }

  @Override
  public KubeClients poolClients(Duration callTimeout) throws IOException {
    return KubeClients.connect(Optional.empty(), Optional.of(poolKubeconfig), callTimeout);
  }

  /** The service-account user's kubeconfig, through the relay. */
  public Path poolKubeconfig() {
    return poolKubeconfig;
  }

  @Override
  public String sidecarConnection() {
    return "kubeconfig: '" + poolKubeconfig + "'";
  }

  @Override
  public Path adminKubeconfig(Path unused) {
    return cluster.dir().resolve("admin.kubeconfig");
  }

  @Override
  public void partition(boolean cut) {
    relay.set(cut);
  }

  @Override
  public void compact() throws IOException, InterruptedException {
    cluster.compact();
  }

  @Override
  public void holdPodDeletions(boolean hold) {
    kubelet().holdDeletions(hold);
  }

  @Override
  public boolean resizeSupported() {
    return false;
  }

  @Override
  public void close() {
    kubelet.ifPresent(ApiKubelet::close);
    relay.close();
    try {
      // the node first (its kubelet and containers), then the control plane; a node that left
      // something behind fails the suite, after the control plane is stopped too
      node.ifPresent(RealNode::close);
    } finally {
      try {
        cluster.close();
      } catch (UncheckedIOException e) {
        System.err.println("stopping the real cluster: " + e.getMessage());
      }
    }
  }
}
