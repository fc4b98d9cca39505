package dev.kernelpool.core.plan;

import dev.kernelpool.core.quota.FootprintRule;
import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.ClusterSnapshot;
import dev.kernelpool.core.snapshot.LaunchHistory;
import dev.kernelpool.core.snapshot.LaunchSeries;
import dev.kernelpool.core.snapshot.MemberState;
import dev.kernelpool.core.snapshot.NamespaceState;
import dev.kernelpool.core.snapshot.PoolMember;
import dev.kernelpool.core.snapshot.PoolProfile;
import dev.kernelpool.core.snapshot.Quota;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builders of snapshots for planner tests, and a model of a backend applying a plan. */
final class Fixtures {
  static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

  private Fixtures() {}

  static PoolProfile profile(String namespace, String kernelspec, String resources) {
    return PoolProfile.of(namespace, kernelspec, "quay.io/jupyter/" + kernelspec, Resources.parse(resources));
  }

  static NamespaceBuilder namespace(String name) {
    return new NamespaceBuilder(name);
  }

  /** Builds a namespace whose quota {@code used} is the given outside usage plus its members. */
  static final class NamespaceBuilder {
    private final String name;
    private final Map<String, String> labels = new HashMap<>();
    private Resources hard;
    private Resources outside = Resources.none();
    private final List<PoolMember> members = new ArrayList<>();
    private final Map<PoolProfile, LaunchSeries> history = new HashMap<>();

    NamespaceBuilder(String name) {
      this.name = name;
    }

    NamespaceBuilder quota(String hardText, String outsideUsage) {
      this.hard = Resources.parse(hardText);
      this.outside = Resources.parse(outsideUsage);
      return this;
    }

    NamespaceBuilder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    NamespaceBuilder member(String id, PoolProfile p, MemberState state, Duration age) {
      members.add(new PoolMember(id, p, state, NOW.minus(age)));
      return this;
    }

    /** {@code count} launches evenly spread over the last hour. */
    NamespaceBuilder launchesLastHour(PoolProfile p, int count) {
      long[] t = new long[count];
      for (int i = 0; i < count; i++) {
        t[i] = NOW.minusSeconds(1 + i * (3599L / Math.max(1, count))).toEpochMilli();
      }
      history.merge(p, LaunchSeries.ofEpochMillis(t), (a, b) -> a);
      return this;
    }

    /** Launches at these instants (sorted). */
    NamespaceBuilder launchedAt(PoolProfile p, long... epochMillis) {
      history.put(p, LaunchSeries.ofEpochMillis(epochMillis));
      return this;
    }

    /** One launch {@code ago} before now. */
    NamespaceBuilder launchedAgo(PoolProfile p, Duration ago) {
      history.merge(
          p, LaunchSeries.ofEpochMillis(NOW.minus(ago).toEpochMilli()), (a, b) -> a.plus(b.epochMilliAt(0)));
      return this;
    }

    NamespaceState build(FootprintRule footprint) {
      Optional<Quota> quota = Optional.empty();
      if (hard != null) {
        Resources used = outside;
        for (PoolMember m : members) {
          used =
              used.plus(
                  m.state() == MemberState.CLAIMED
                      ? m.profile().resources().plus(Resources.parse("pods=1"))
                      : footprint.footprintOf(m.profile()));
        }
        quota = Optional.of(new Quota(hard, used));
      }
      return new NamespaceState(name, labels, quota, members, new LaunchHistory(history));
    }
  }

  /**
   * What a backend does with a plan: deleted members start terminating (still charged), created
   * members start (charged from now on).
   */
  static ClusterSnapshot apply(ClusterSnapshot snapshot, Plan plan, FootprintRule footprint, Instant at) {
    Map<String, NamespacePlan> byName = new HashMap<>();
    plan.namespaces().forEach(p -> byName.put(p.namespace(), p));
    List<NamespaceState> out = new ArrayList<>();
    int created = 0;
    for (NamespaceState ns : snapshot.namespaces()) {
      NamespacePlan p = byName.get(ns.name());
      List<PoolMember> members = new ArrayList<>(ns.members());
      Resources usedDelta = Resources.none();
      for (PlanAction a : p == null ? List.<PlanAction>of() : p.actions()) {
        if (a instanceof PlanAction.Delete d) {
          for (int i = 0; i < members.size(); i++) {
            if (members.get(i).id().equals(d.memberId())) {
              members.set(i, members.get(i).withState(MemberState.TERMINATING));
            }
          }
        } else if (a instanceof PlanAction.Create c) {
          for (int i = 0; i < c.count(); i++) {
            members.add(new PoolMember("created-" + created++, c.profile(), MemberState.STARTING, at));
            usedDelta = usedDelta.plus(footprint.footprintOf(c.profile()));
          }
        }
      }
      Optional<Quota> quota = ns.quota();
      if (quota.isPresent()) {
        quota = Optional.of(new Quota(quota.get().hard(), quota.get().used().plus(usedDelta)));
      }
      out.add(new NamespaceState(ns.name(), ns.labels(), quota, members, ns.history()));
    }
    return new ClusterSnapshot(out);
  }
}
