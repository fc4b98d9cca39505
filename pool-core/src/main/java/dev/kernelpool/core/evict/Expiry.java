package dev.kernelpool.core.evict;

/** Why a member's time is up. */
public enum Expiry {
  /** Older than the member TTL. */
  TTL_EXPIRED,
  /** Still starting after the start timeout. */
  START_TIMEOUT
}
