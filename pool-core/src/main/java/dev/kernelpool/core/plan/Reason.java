package dev.kernelpool.core.plan;

/** Why the plan creates or deletes pool members. */
public enum Reason {
  /** Fewer live members than the target. */
  BELOW_TARGET,
  /** The member is older than the member TTL: replaced by a fresh one. */
  TTL_EXPIRED,
  /** The member did not become ready within the start timeout. */
  START_TIMEOUT,
  /** The budget shrank (usage rose toward the ceiling, or the quota fell): members go first. */
  QUOTA_PRESSURE,
  /** Forecast demand fell below the live count. */
  OVER_TARGET,
  /** The namespace no longer gets a pool. */
  NOT_ELIGIBLE
}
