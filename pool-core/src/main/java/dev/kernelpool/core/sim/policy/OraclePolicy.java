package dev.kernelpool.core.sim.policy;

import dev.kernelpool.core.plan.PlanAction;
import dev.kernelpool.core.quota.FootprintRule;
import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.sim.SimSettings;
import dev.kernelpool.core.sim.trace.Launch;
import dev.kernelpool.core.snapshot.NamespaceState;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Knows the future: starts one small kernel per launch exactly as long before it as the slowest
 * start takes, so every launch is warm at the least idle cost start-time uncertainty allows. The
 * lower bound other policies are measured against.
 */
public final class OraclePolicy implements SimPolicy {
  private final FootprintRule footprint;

  public OraclePolicy(FootprintRule footprint) {
    this.footprint = footprint;
  }

  @Override
  public String name() {
    return "oracle";
  }

  @Override
  public Resources footprint(PoolProfile profile) {
    return footprint.footprintOf(profile);
  }

  @Override
  public List<PlanAction> decide(NamespaceState namespace, Instant now) {
    return List.of();
  }

  @Override
  public List<ScheduledCreate> schedule(List<Launch> trace, SimSettings settings) {
    long lead = settings.coldStart().plus(settings.coldStartSpread()).toMillis();
    List<ScheduledCreate> out = new ArrayList<>(trace.size());
    for (Launch l : trace) {
      out.add(new ScheduledCreate(l.timestampMs() - lead, l.profile()));
    }
    return out;
  }
}
