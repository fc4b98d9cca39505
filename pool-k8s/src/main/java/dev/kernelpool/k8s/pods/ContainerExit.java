package dev.kernelpool.k8s.pods;

import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import java.util.ArrayList;
import java.util.List;

/**
 * How an ended pod's containers ended, as the kubelet reports it: reason and exit code of each
 * terminated container ({@code OOMKilled, exit 0}). It goes into the pool's {@code Ended} event,
 * which outlives the pod: the pool deletes an ended pool pod at once, so an operator who asks why
 * pool kernels keep dying finds the answer there.
 */
public final class ContainerExit {
  private ContainerExit() {}

  /**
   * {@code "OOMKilled, exit 0"} (one entry per terminated container, by name if several), after the
   * pod's own reason where the kubelet gave one ({@code Evicted: The node was low on resource:
   * memory.}), or "".
   */
  public static String describe(V1Pod pod) {
    if (pod.getStatus() == null) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    if (pod.getStatus().getReason() != null) {
      String message = pod.getStatus().getMessage();
      parts.add(pod.getStatus().getReason() + (message == null || message.isBlank() ? "" : ": " + message.strip()));
    }
    List<V1ContainerStatus> statuses = pod.getStatus().getContainerStatuses() == null ? List.of() : pod.getStatus().getContainerStatuses();
    for (V1ContainerStatus c : statuses) {
      V1ContainerStateTerminated t = c.getState() == null ? null : c.getState().getTerminated();
      if (t != null) {
        String reason = t.getReason() == null ? "" : t.getReason() + ", ";
        parts.add((statuses.size() > 1 ? c.getName() + ": " : "") + reason + "exit " + t.getExitCode());
      }
    }
    return String.join("; ", parts);
  }
}
