package dev.kernelpool.core.sim.policy;

import dev.kernelpool.core.plan.PlanAction;
import dev.kernelpool.core.plan.Reason;
import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.NamespaceState;
import dev.kernelpool.core.snapshot.PoolMember;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fixed number of warm kernels per kernelspec and namespace, refilled at once, full size and
 * blind to quotas: Kernel Gateway's prespawn.
 */
public final class StaticPolicy implements SimPolicy {
  private final int perProfile;

  public StaticPolicy(int perProfile) {
    this.perProfile = perProfile;
  }

  @Override
  public String name() {
    return "static";
  }

  @Override
  public Optional<Duration> tick() {
    return Optional.empty();
  }

  @Override
  public boolean reactive() {
    return true;
  }

  @Override
  public Resources footprint(PoolProfile profile) {
    return profile.resources().plus(Resources.ofMilli("pods", 1000));
  }

  @Override
  public List<PlanAction> decide(NamespaceState namespace, Instant now) {
    Map<PoolProfile, Integer> live = new HashMap<>();
    for (PoolMember m : namespace.members()) {
      if (m.state().isLive()) {
        live.merge(m.profile(), 1, Integer::sum);
      }
    }
    List<PlanAction> actions = new ArrayList<>();
    for (PoolProfile p : namespace.declaredProfiles()) {
      int missing = perProfile - live.getOrDefault(p, 0);
      if (missing > 0) {
        actions.add(new PlanAction.Create(p, missing, Reason.BELOW_TARGET));
      }
    }
    return actions;
  }
}
