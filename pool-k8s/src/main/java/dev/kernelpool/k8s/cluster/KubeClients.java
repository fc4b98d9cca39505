package dev.kernelpool.k8s.cluster;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The two clients the pool uses: one for calls, with connect, read and whole-call timeouts (a
 * client-java default waits forever), and one for watches, whose read timeout must be zero; the
 * server ends each watch after its {@code timeoutSeconds}.
 */
public record KubeClients(ApiClient calls, ApiClient watches) {

  /** Clients for {@code url} (tests, proxies), or from the kubeconfig / in-cluster service account when empty. */
  public static KubeClients connect(Optional<String> url, Duration callTimeout) throws IOException {
    return connect(url, Optional.empty(), callTimeout);
  }

  /**
   * Clients for {@code url} (plain HTTP, no credentials: tests, proxies), else for the kubeconfig
   * file {@code kubeconfig} (a sidecar outside the cluster, or acting as a given identity), else
   * from {@code $KUBECONFIG} / the in-cluster service account.
   */
  public static KubeClients connect(Optional<String> url, Optional<Path> kubeconfig, Duration callTimeout) throws IOException {
    ApiClient calls = client(url, kubeconfig);
    ApiClient watches = client(url, kubeconfig);
    calls.setHttpClient(calls.getHttpClient().newBuilder()
        .connectTimeout(callTimeout)
        .readTimeout(callTimeout)
        .writeTimeout(callTimeout)
        .callTimeout(callTimeout)
        .build());
    watches.setHttpClient(watches.getHttpClient().newBuilder()
        .connectTimeout(callTimeout)
        .readTimeout(Duration.ZERO)
        .build());
    return new KubeClients(calls, watches);
  }

  private static ApiClient client(Optional<String> url, Optional<Path> kubeconfig) throws IOException {
    if (url.isPresent()) {
      return Config.fromUrl(url.get(), false);
    }
    return kubeconfig.isPresent() ? Config.fromConfig(kubeconfig.get().toString()) : Config.defaultClient();
  }
}
