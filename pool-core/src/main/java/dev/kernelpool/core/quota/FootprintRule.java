package dev.kernelpool.core.quota;

import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.PoolMember;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.util.List;
import java.util.Objects;

/**
 * The small footprint a warm kernel requests before it is claimed and resized to its profile's
 * resources. For each name in {@code initial} that the profile requests, the warm kernel requests
 * the smaller of the two; other names (GPUs, which cannot be resized in place) stay as the profile
 * requests them. Every pool kernel is also charged one pod.
 *
 * @param initial the small initial requests, e.g. {@code cpu=100m,memory=256Mi}; empty means
 *     warm kernels request their full profile resources
 */
public record FootprintRule(Resources initial) {
  public static final String PODS = "pods";
  public static final FootprintRule DEFAULTS =
      new FootprintRule(Resources.parse("cpu=100m,memory=256Mi"));
  private static final Resources ONE_POD = Resources.ofMilli(PODS, 1000);

  public FootprintRule {
    Objects.requireNonNull(initial, "initial");
    if (!initial.isNonNegative()) {
      throw new IllegalArgumentException("footprint.initial must not be negative: " + initial);
    }
  }

  /** What a warm kernel of {@code profile} is charged against the quota. */
  public Resources footprintOf(PoolProfile profile) {
    Resources requested = profile.resources();
    Resources reduced =
        requested.map(
            (name, amount) -> initial.has(name) ? Math.min(amount, initial.milli(name)) : amount);
    return requested.has(PODS) ? reduced : reduced.plus(ONE_POD);
  }

  /** What the quota is charged for {@code members}: the live and terminating ones at their footprint. */
  public Resources chargedFor(List<PoolMember> members) {
    Resources charged = Resources.none();
    for (PoolMember m : members) {
      if (m.state().isPoolCharged()) {
        charged = charged.plus(footprintOf(m.profile()));
      }
    }
    return charged;
  }
}
