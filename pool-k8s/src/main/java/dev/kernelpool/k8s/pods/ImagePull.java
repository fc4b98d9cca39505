package dev.kernelpool.k8s.pods;

import io.kubernetes.client.openapi.models.V1ContainerStateWaiting;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a pod cannot start because the kubelet cannot get its image: the container's waiting
 * reason once the kubelet has given up for now ({@code ImagePullBackOff}: it tried and failed, and
 * backs off), or at once where no retry can help (an invalid name, a policy that forbids pulling).
 * A first {@code ErrImagePull} alone is not one: the kubelet retries it, and a registry's hiccup
 * should not stop a pool.
 */
public final class ImagePull {
  private static final Set<String> REASONS = Set.of("ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");

  private ImagePull() {}

  /** The kubelet's reason and message, if the pod's image cannot be had. */
  public static Optional<String> failure(V1Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    for (V1ContainerStatus c : pod.getStatus().getContainerStatuses()) {
      V1ContainerStateWaiting waiting = c.getState() == null ? null : c.getState().getWaiting();
      if (waiting != null && REASONS.contains(waiting.getReason())) {
        String message = waiting.getMessage() == null ? "" : ": " + waiting.getMessage();
        return Optional.of(waiting.getReason() + message);
      }
    }
    return Optional.empty();
  }
}
