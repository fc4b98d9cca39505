package dev.kernelpool.k8s.testing;

import dev.kernelpool.k8s.cluster.KubeClients;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/** The shared suites' in-memory server: a {@link FakeApiServer} with its {@link KubeletSimulator}. */
public final class InMemoryCluster implements TestCluster {
  private final KubeletSimulator.PodRuntime runtime;
  private final FakeApiServer server;
  private final KubeletSimulator kubelet;
  private final ClusterOps ops;
  private final TcpPartition relay;

  public InMemoryCluster(KubeletSimulator.PodRuntime runtime) {
    this.runtime = runtime;
    server = FakeApiServer.start();
    try {
      relay = new TcpPartition(new java.net.InetSocketAddress("127.0.0.1", java.net.URI.create(server.url()).getPort()));
    } catch (IOException e) {
      server.close();
      throw new java.io.UncheckedIOException(e);
    }
    kubelet = KubeletSimulator.withLoopbackIps(server, runtime);
    ops = new ClusterOps(Config.fromUrl(server.url(), false), false);
    server.createNamespace(POOL_NAMESPACE, java.util.Map.of());
  }

  @Override
  public java.util.Optional<KubeletSimulator.PodRuntime> podRuntime() {
    return java.util.Optional.of(runtime);
  }

  /** The server itself, for its fault switches and request log. */
  public FakeApiServer server() {
    return server;
  }

  public KubeletSimulator kubelet() {
    return kubelet;
  }

  @Override
  public String name() {
    return "in-memory";
  }

  @Override
  public ApiClient admin() {
    return Config.fromUrl(server.url(), false);
  }

  @Override
  public ClusterOps ops() {
    return ops;
  }

  @Override
  public KubeClients poolClients(Duration callTimeout) throws IOException {
    return KubeClients.connect(Optional.of(relayUrl()), callTimeout);
  }

  @Override
  public String sidecarConnection() {
    return "apiUrl: '" + relayUrl() + "'";
  }

  @Override
  public java.nio.file.Path adminKubeconfig(java.nio.file.Path dir) throws IOException {
    java.nio.file.Path file = dir.resolve("in-memory.kubeconfig");
    java.nio.file.Files.writeString(file, String.join("\n",
        "apiVersion: v1", "kind: Config", "current-context: test",
        "clusters: [{name: test, cluster: {server: '" + server.url() + "'}}]",
        "users: [{name: test, user: {token: test}}]",
        "contexts: [{name: test, context: {cluster: test, user: test}}]", ""));
    return file;
  }

  private String relayUrl() {
    return "http://127.0.0.1:" + relay.port();
  }

  /** Through a relay, like the real server's, so the administrator's calls still pass; the fault switches cut everyone. */
  @Override
  public void partition(boolean cut) {
    relay.set(cut);
  }

  @Override
  public void compact() {
    server.compactHistory();
  }

  @Override
  public void holdPodDeletions(boolean hold) {
    server.holdPodDeletions(hold);
  }

  @Override
  public boolean resizeSupported() {
    return true;
  }

  @Override
  public void close() {
    kubelet.close();
    relay.close();
    server.close();
  }
}
