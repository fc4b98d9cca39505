package dev.kernelpool.core.plan;

import dev.kernelpool.core.forecast.RankedProfile;
import java.util.List;

/**
 * Splits a namespace's budget across its ranked profiles: first each profile's minimum, in rank
 * order, then what demand asks for, highest-ranked first. Where the pool's share of a small quota
 * cannot hold one kernel, the small-quota rule may grant the top profile one.
 */
final class TargetAllocator {
  /** A profile without a burst ahead. */
  static final int NO_BURST = -1;

  private final PoolPolicy policy;

  TargetAllocator(PoolPolicy policy) {
    this.policy = policy;
  }

  /**
   * The allocation for one namespace.
   *
   * @param desired per ranked profile, what demand and rules ask for
   * @param targets per ranked profile, what the budget allows
   * @param creationCap the cap creations must respect: the pool cap, raised to one kernel where
   *     the small-quota rule applied
   */
  record Allocation(int[] desired, int[] targets, Room creationCap) {}

  /**
   * @param footprints per ranked profile, projected onto the rooms' names
   * @param poolCap the 10% rule
   * @param usageRoom the 95% rule
   * @param bursts per ranked profile, the kernels a forecast burst needs (the burst rule), or
   *     {@link #NO_BURST}: granted past the pool cap, within the usage room, after
   *     everything else
   */
  Allocation allocate(List<RankedProfile> ranked, long[][] footprints, Room poolCap, Room usageRoom, int[] bursts) {
    int n = ranked.size();
    int[] desired = new int[n];
    int[] mins = new int[n];
    for (int i = 0; i < n; i++) {
      RankedProfile r = ranked.get(i);
      ProfileRule rule = policy.ruleFor(r.profile());
      DemandRules demand = policy.demand();
      int fromDemand =
          r.expectedLaunches() > 0 && r.launchesPerHour() >= demand.minLaunchesPerHour(i)
              ? demand.sizing().kernels(r.launchesPerHour(), r.expectedLaunches())
              : 0;
      if (bursts[i] != NO_BURST) {
        // A burst is ahead: the burst rule sizes the profile; the ordinary forecast, which sees the
        // burst too but not when its kernels must start, keeps at most the one kernel it would.
        fromDemand = Math.min(fromDemand, 1);
      }
      desired[i] = Math.max(rule.min(), Math.min(rule.max(), fromDemand));
      mins[i] = rule.min();
    }
    int[] targets = new int[n];
    Room keep = poolCap.min(usageRoom);
    fill(mins, footprints, targets, keep);
    fill(desired, footprints, targets, keep);

    Room creationCap = poolCap.copy();
    if (anyPositive(bursts)) {
      grantBursts(ranked, bursts, footprints, usageRoom, desired, targets, creationCap);
    }
    if (sum(targets) == 0) {
      int top = firstPositive(desired);
      if (top >= 0 && smallQuotaApplies(ranked.get(top), footprints[top], poolCap, usageRoom)) {
        targets[top] = 1;
        creationCap.raiseTo(footprints[top]);
      }
    }
    return new Allocation(desired, targets, creationCap);
  }

  /** Raises targets to the bursts' within what the usage room has left, and the creation cap with them. */
  private void grantBursts(
      List<RankedProfile> ranked, int[] bursts, long[][] footprints, Room usageRoom, int[] desired, int[] targets, Room creationCap) {
    Room left = usageRoom.copy();
    for (int i = 0; i < targets.length; i++) {
      left.take(footprints[i], targets[i]);
    }
    for (int i = 0; i < targets.length; i++) {
      int wanted = Math.min(bursts[i], policy.ruleFor(ranked.get(i).profile()).max());
      desired[i] = Math.max(desired[i], wanted);
      int more = wanted - targets[i];
      if (more > 0) {
        int granted = (int) Math.min(more, left.copies(footprints[i]));
        if (granted > 0) {
          targets[i] += granted;
          left.take(footprints[i], granted);
          creationCap.take(footprints[i], -granted);
        }
      }
    }
  }

  private static void fill(int[] wanted, long[][] footprints, int[] targets, Room left) {
    for (int i = 0; i < wanted.length; i++) {
      int more = wanted[i] - targets[i];
      if (more > 0) {
        int granted = (int) Math.min(more, left.copies(footprints[i]));
        if (granted > 0) {
          targets[i] += granted;
          left.take(footprints[i], granted);
        }
      }
    }
  }

  private boolean smallQuotaApplies(
      RankedProfile top, long[] footprint, Room poolCap, Room usageRoom) {
    SmallQuotaRule rule = policy.smallQuota();
    return rule.enabled()
        && top.launchesPerHour() >= rule.minLaunchesPerHour()
        && top.launchesPerHour() > 0
        && poolCap.copies(footprint) == 0
        && usageRoom.copies(footprint) >= 1;
  }

  private static boolean anyPositive(int[] values) {
    for (int v : values) {
      if (v > 0) {
        return true;
      }
    }
    return false;
  }

  static int sum(int[] values) {
    int total = 0;
    for (int v : values) {
      total += v;
    }
    return total;
  }

  private static int firstPositive(int[] values) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] > 0) {
        return i;
      }
    }
    return -1;
  }
}
