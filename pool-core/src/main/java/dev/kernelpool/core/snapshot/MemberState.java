package dev.kernelpool.core.snapshot;

/** Where a pool member is in its life. */
public enum MemberState {
  /** Created, not yet answering {@code kernel_info}: charged to quota, not yet claimable. */
  STARTING,
  /** Ready and claimable. */
  WARM,
  /** Handed to a user: no longer the pool's, never evicted by the pool. */
  CLAIMED,
  /** Being deleted: still charged to quota until gone. */
  TERMINATING;

  /** Whether the member counts as a live pool kernel (starting or warm). */
  public boolean isLive() {
    return this == STARTING || this == WARM;
  }

  /** Whether the member is charged to the pool's share of the quota. */
  public boolean isPoolCharged() {
    return this != CLAIMED;
  }
}
