package dev.kernelpool.core.plan;

import dev.kernelpool.core.forecast.DemandForecaster;
import dev.kernelpool.core.forecast.ProfileRanking;
import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.ClusterSnapshot;
import dev.kernelpool.core.snapshot.NamespaceState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Turns a snapshot into a plan. Pure and deterministic: the same snapshot, policy, forecaster
 * and instant give an equal plan, whatever the order of the snapshot's namespaces and members.
 * Namespaces are planned independently, so a large snapshot is planned on the common fork-join
 * pool in parallel, with the result in namespace order as always. Safe to share between threads.
 */
public final class Planner {
  /** Snapshots with at least this many namespaces are planned in parallel. */
  static final int PARALLEL_THRESHOLD = 512;

  private static final int FOOTPRINT_CACHE_LIMIT = 10_000;

  private final NamespacePlanner namespacePlanner;
  private final Clock clock;
  /** Warm footprints by profile resources: a memo of a pure function, bounded. */
  private final Map<Resources, Resources> footprints = new ConcurrentHashMap<>();

  public Planner(PoolPolicy policy, DemandForecaster forecaster, Clock clock) {
    this.namespacePlanner =
        new NamespacePlanner(policy, new ProfileRanking(forecaster, policy.demand().horizon()));
    this.clock = clock;
  }

  /** Plans every namespace of {@code snapshot} at the clock's current instant. */
  public Plan plan(ClusterSnapshot snapshot) {
    return plan(snapshot, clock.instant());
  }

  /** Plans every namespace of {@code snapshot} at {@code now}. */
  public Plan plan(ClusterSnapshot snapshot, Instant now) {
    List<NamespaceState> namespaces = snapshot.namespaces();
    if (!sortedByName(namespaces)) {
      namespaces = new ArrayList<>(namespaces);
      namespaces.sort(Comparator.comparing(NamespaceState::name));
    }
    Map<Resources, Resources> footprints = footprintCache();
    Stream<NamespaceState> stream = namespaces.stream();
    if (namespaces.size() >= PARALLEL_THRESHOLD) {
      stream = stream.parallel();
    }
    List<NamespacePlan> plans = stream.map(ns -> namespacePlanner.plan(ns, now, footprints)).toList();
    return new Plan(now, plans);
  }

  private Map<Resources, Resources> footprintCache() {
    if (footprints.size() > FOOTPRINT_CACHE_LIMIT) {
      footprints.clear();
    }
    return footprints;
  }

  private static boolean sortedByName(List<NamespaceState> namespaces) {
    for (int i = 1; i < namespaces.size(); i++) {
      if (namespaces.get(i - 1).name().compareTo(namespaces.get(i).name()) > 0) {
        return false;
      }
    }
    return true;
  }

  /** Plans one namespace at {@code now}: what event-driven reconcilers call per changed key. */
  public NamespacePlan plan(NamespaceState namespace, Instant now) {
    return namespacePlanner.plan(namespace, now, footprintCache());
  }
}
