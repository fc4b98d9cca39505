package dev.kernelpool.core.sim.policy;

import dev.kernelpool.core.forecast.DemandForecaster;
import dev.kernelpool.core.plan.NamespacePlan;
import dev.kernelpool.core.plan.PlanAction;
import dev.kernelpool.core.plan.Planner;
import dev.kernelpool.core.plan.PoolPolicy;
import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.ClusterSnapshot;
import dev.kernelpool.core.snapshot.NamespaceState;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The real planner under a given policy, forecaster and trigger: how seed and adaptive run. */
public final class PlannerPolicy implements SimPolicy {
  private final String name;
  private final PoolPolicy policy;
  private final Planner planner;
  private final Optional<Duration> tick;
  private final boolean reactive;

  public PlannerPolicy(String name, PoolPolicy policy, DemandForecaster forecaster, Optional<Duration> tick, boolean reactive) {
    this.name = name;
    this.policy = policy;
    this.planner = new Planner(policy, forecaster, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    this.tick = tick;
    this.reactive = reactive;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<Duration> tick() {
    return tick;
  }

  @Override
  public boolean reactive() {
    return reactive;
  }

  @Override
  public Resources footprint(PoolProfile profile) {
    return policy.footprint().footprintOf(profile);
  }

  @Override
  public List<PlanAction> decide(NamespaceState namespace, Instant now) {
    return plan(namespace, now).actions();
  }

  @Override
  public Decision plan(NamespaceState namespace, Instant now) {
    return decision(planner.plan(namespace, now));
  }

  /** The planner's whole-snapshot pass: large snapshots are planned in parallel. */
  @Override
  public List<Decision> planAll(List<NamespaceState> namespaces, Instant now) {
    List<Decision> out = new ArrayList<>(namespaces.size());
    for (NamespacePlan plan : planner.plan(new ClusterSnapshot(namespaces), now).namespaces()) {
      out.add(decision(plan));
    }
    return out;
  }

  @Override
  public List<List<PlanAction>> decideAll(List<NamespaceState> namespaces, Instant now) {
    return planAll(namespaces, now).stream().map(Decision::actions).toList();
  }

  private static Decision decision(NamespacePlan plan) {
    return new Decision(plan.actions(), plan.replanBy());
  }
}
