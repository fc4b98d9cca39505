package dev.kernelpool.core.sim.policy;

import dev.kernelpool.core.plan.PlanAction;
import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.NamespaceState;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.time.Instant;
import java.util.List;

/** No pool: every launch is cold. The baseline. */
public final class NoPoolPolicy implements SimPolicy {
  @Override
  public String name() {
    return "none";
  }

  @Override
  public Resources footprint(PoolProfile profile) {
    return profile.resources();
  }

  @Override
  public List<PlanAction> decide(NamespaceState namespace, Instant now) {
    return List.of();
  }
}
