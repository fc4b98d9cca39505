package dev.kernelpool.k8s.cluster;

import dev.kernelpool.core.snapshot.MemberState;
import dev.kernelpool.core.snapshot.PoolMember;
import dev.kernelpool.core.snapshot.PoolProfile;
import dev.kernelpool.k8s.pods.PodProfiles;
import dev.kernelpool.k8s.pods.PoolLabels;
import io.kubernetes.client.openapi.models.V1Pod;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A pod of this pool, as the informer last saw it.
 *
 * @param state starting, warm or claimed, from the pod's state label
 * @param phase the pod's phase: a Failed or Succeeded pod is gone for the pool
 * @param notReady the pod's {@code Ready} condition reads False or Unknown: for a running pool pod,
 *     which has no readiness probe, that is its node's controller marking the pods of a node gone
 *     NotReady or unreachable (or a kubelet that lost its containers)
 */
public record PoolPod(
    String namespace, String name, String uid, String resourceVersion, PoolProfile profile, String state,
    String phase, boolean deleting, Instant createdAt, Optional<String> podIp, boolean notReady) {

  /** The pool pod {@code pod} is, if it belongs to {@code pool} and carries a readable profile. */
  public static Optional<PoolPod> of(V1Pod pod, String pool) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    if (labels == null || !PoolLabels.MANAGER.equals(labels.get(PoolLabels.MANAGED_BY)) || !pool.equals(labels.get(PoolLabels.POOL))) {
      return Optional.empty();
    }
    return PodProfiles.of(pod).filter(profile -> profile.namespace().equals(pod.getMetadata().getNamespace()))
        .map(profile -> new PoolPod(
        pod.getMetadata().getNamespace(), pod.getMetadata().getName(), pod.getMetadata().getUid(),
        pod.getMetadata().getResourceVersion(), profile,
        labels.getOrDefault(PoolLabels.STATE, PoolLabels.STATE_STARTING),
        pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase(),
        pod.getMetadata().getDeletionTimestamp() != null,
        pod.getMetadata().getCreationTimestamp() == null ? Instant.EPOCH : pod.getMetadata().getCreationTimestamp().toInstant(),
        Optional.ofNullable(pod.getStatus() == null ? null : pod.getStatus().getPodIP()),
        notReady(pod)));
  }

  private static boolean notReady(V1Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && !"True".equals(c.getStatus()));
  }

  public boolean isClaimed() {
    return PoolLabels.STATE_CLAIMED.equals(state);
  }

  public boolean isWarm() {
    return PoolLabels.STATE_WARM.equals(state) && !deleting && !hasEnded();
  }

  /**
   * A warm pod a claim may take: warm, and not on a node its controller marked NotReady or
   * unreachable. Such a pod's kernel may still answer, but the node's pods are evicted once the
   * node stays away (5 minutes by default), and a kernel handed out there would die with them.
   */
  public boolean isOffered() {
    return isWarm() && !notReady;
  }

  /** The pod's process is gone: Failed or Succeeded. */
  public boolean hasEnded() {
    return phase.equals("Failed") || phase.equals("Succeeded");
  }

  /**
   * The planner's view: empty for a claimed pod (EG's now) or one that ended. A warm pod that is not
   * {@linkplain #isOffered() offered} is on its way out: it holds its room, as a terminating pod
   * does, and serves no launch, so the planner may replace it where the quota allows.
   */
  public Optional<PoolMember> asMember() {
    if (isClaimed() || hasEnded()) {
      return Optional.empty();
    }
    MemberState s = deleting || (isWarm() && notReady) ? MemberState.TERMINATING : isWarm() ? MemberState.WARM : MemberState.STARTING;
    return Optional.of(new PoolMember(name, profile, s, createdAt));
  }
}
