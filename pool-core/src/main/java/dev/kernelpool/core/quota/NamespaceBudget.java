package dev.kernelpool.core.quota;

import java.util.Objects;

/**
 * The two limits a namespace's pool lives under.
 *
 * @param poolCap what the pool's live members may hold in total (the 10% rule)
 * @param usageRoom what the pool's live members may hold given everything else charged to the
 *     quota (the 95% rule); members already terminating are not counted against it, so that
 *     evictions do not cascade while deletions are in flight
 */
public record NamespaceBudget(Budget poolCap, Budget usageRoom) {
  public NamespaceBudget {
    Objects.requireNonNull(poolCap, "poolCap");
    Objects.requireNonNull(usageRoom, "usageRoom");
  }

  /** What live members may hold under both rules. */
  public Budget keep() {
    return poolCap.min(usageRoom);
  }
}
