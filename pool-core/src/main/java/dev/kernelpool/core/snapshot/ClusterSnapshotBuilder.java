package dev.kernelpool.core.snapshot;

import dev.kernelpool.core.quota.FootprintRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds a {@link ClusterSnapshot} the way a test reads: namespaces with their quota, what others
 * use of it, the pool's members and the launches they saw, at one instant. For tests of a policy
 * without a cluster:
 *
 * <pre>{@code
 * Instant now = Instant.parse("2026-03-02T10:00:00Z");
 * ClusterSnapshot snapshot = ClusterSnapshot.builder(now)
 *     .namespace("team-a", ns -> ns
 *         .quota("cpu=20,memory=64Gi,pods=100").otherUsage("cpu=4,memory=8Gi")
 *         .launchesEvery("python3", "cpu=1,memory=2Gi", Duration.ofMinutes(10), Duration.ofHours(8))
 *         .warm("python3", "cpu=1,memory=2Gi", Duration.ofMinutes(30)))
 *     .build();
 * }</pre>
 *
 * Quota usage is the other usage plus what the pool's members hold (their footprint under the
 * builder's {@link FootprintRule}), as a cluster's quota status would report it.
 */
public final class ClusterSnapshotBuilder {
  private final Instant now;
  private FootprintRule footprint = FootprintRule.DEFAULTS;
  private final List<NamespaceStateBuilder> namespaces = new ArrayList<>();
  private KernelspecPopularity popularity = KernelspecPopularity.NONE;

  ClusterSnapshotBuilder(Instant now) {
    this.now = now;
  }

  /** The footprint pool members are charged at (the policy's; {@link FootprintRule#DEFAULTS} unless set). */
  public ClusterSnapshotBuilder footprint(FootprintRule rule) {
    this.footprint = rule;
    return this;
  }

  /** How often each kernelspec is launched across the cluster, for ties between profiles. */
  public ClusterSnapshotBuilder popularity(KernelspecPopularity clusterWide) {
    this.popularity = clusterWide;
    return this;
  }

  /** Adds a namespace, described by {@code spec}. */
  public ClusterSnapshotBuilder namespace(String name, Consumer<NamespaceStateBuilder> spec) {
    NamespaceStateBuilder ns = new NamespaceStateBuilder(name, now);
    spec.accept(ns);
    namespaces.add(ns);
    return this;
  }

  public ClusterSnapshot build() {
    return new ClusterSnapshot(namespaces.stream().map(ns -> ns.build(footprint, popularity)).toList());
  }
}
