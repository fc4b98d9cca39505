package dev.kernelpool.bridge.backend;

import dev.kernelpool.core.snapshot.PoolProfile;
import dev.kernelpool.core.snapshot.Quota;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A namespace as a backend sees it: labels, quota and the profiles declared for it. */
public record NamespaceView(
    String name, Map<String, String> labels, Optional<Quota> quota, List<PoolProfile> declaredProfiles) {
  public NamespaceView {
    labels = Map.copyOf(labels);
    declaredProfiles = List.copyOf(declaredProfiles);
  }
}
