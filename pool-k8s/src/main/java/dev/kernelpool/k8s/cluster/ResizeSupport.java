package dev.kernelpool.k8s.cluster;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1APIResource;
import io.kubernetes.client.openapi.models.V1APIResourceList;
import java.util.List;
import java.util.Optional;

/**
 * Whether the API server resizes pods in place: it lists the {@code pods/resize} subresource in
 * its core group's discovery (Kubernetes 1.33+, or 1.27+ with the InPlacePodVerticalScaling gate).
 * Where it does not, a pool pod started small could never get the resources its claim asks for.
 */
public final class ResizeSupport {
  private ResizeSupport() {}

  /**
   * Asks the server's discovery ({@code GET /api/v1}, which every authenticated user may read).
   *
   * @return empty when the server could not be asked (the caller decides what is safe)
   */
  public static Optional<Boolean> probe(ApiClient client) {
    try {
      V1APIResourceList list = new CoreV1Api(client).getAPIResources().execute();
      List<V1APIResource> resources = list.getResources() == null ? List.of() : list.getResources();
      return Optional.of(resources.stream().anyMatch(r -> "pods/resize".equals(r.getName())));
    } catch (ApiException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
