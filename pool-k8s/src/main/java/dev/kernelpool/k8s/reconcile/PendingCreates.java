package dev.kernelpool.k8s.reconcile;

import dev.kernelpool.k8s.cluster.ClusterCache;
import dev.kernelpool.k8s.pods.PodProof;
import io.kubernetes.client.openapi.models.V1Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pool pods this replica created that its informer has not shown proven yet (the controller pattern's
 * "expectations"): a reconcile in between counts them as starting members, so it does not create
 * them again. One is forgotten when the informer shows it, or after {@link #TTL} (a watch event
 * lost for good is caught by the next resync's re-list).
 */
public final class PendingCreates implements ClusterCache.Listener {
  static final Duration TTL = Duration.ofSeconds(30);

  private record Pending(V1Pod pod, Instant createdAt) {}

  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Clock clock;
  private final PodProof proof;

  /** @param proof a pod counts as seen once the informer shows it proven the pool's */
  public PendingCreates(Clock clock, PodProof proof) {
    this.clock = clock;
    this.proof = proof;
  }

  /** A pod the API server accepted. */
  void created(V1Pod pod) {
    pending.put(key(pod), new Pending(pod, clock.instant()));
  }

  /** The pods still expected, in {@code namespace} or (null) everywhere. */
  public List<V1Pod> pods(String namespace) {
    Instant cutoff = clock.instant().minus(TTL);
    pending.values().removeIf(p -> p.createdAt().isBefore(cutoff));
    List<V1Pod> out = new ArrayList<>();
    for (Pending p : pending.values()) {
      if (namespace == null || namespace.equals(p.pod().getMetadata().getNamespace())) {
        out.add(p.pod());
      }
    }
    return out;
  }

  /** Whether a pod named {@code name} (in any namespace) is still expected. */
  public boolean expects(String name) {
    return pods(null).stream().anyMatch(p -> name.equals(p.getMetadata().getName()));
  }

  @Override
  public void podChanged(Optional<V1Pod> before, Optional<V1Pod> after) {
    if (after.isEmpty()) {
      before.ifPresent(p -> pending.remove(key(p)));
    } else if (proof.verifies(after.get())) {
      pending.remove(key(after.get()));
    }
  }

  private static String key(V1Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }
}
