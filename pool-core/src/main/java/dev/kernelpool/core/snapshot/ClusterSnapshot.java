package dev.kernelpool.core.snapshot;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Every namespace the backend knows, at one moment. Namespace names are unique. */
public record ClusterSnapshot(List<NamespaceState> namespaces) {
  public ClusterSnapshot {
    namespaces = List.copyOf(namespaces);
    Set<String> seen = new HashSet<>();
    for (NamespaceState ns : namespaces) {
      if (!seen.add(ns.name())) {
        throw new IllegalArgumentException("namespace " + ns.name() + " listed twice");
      }
    }
  }

  /** A builder of snapshots at {@code now}, for tests of a policy ({@link ClusterSnapshotBuilder}). */
  public static ClusterSnapshotBuilder builder(java.time.Instant now) {
    return new ClusterSnapshotBuilder(now);
  }
}
