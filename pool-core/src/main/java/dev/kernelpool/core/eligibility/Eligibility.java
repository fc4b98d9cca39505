package dev.kernelpool.core.eligibility;

/** Whether a namespace gets a pool, and why (not). */
public enum Eligibility {
  ELIGIBLE,
  OPTED_OUT,
  NOT_OPTED_IN,
  NO_QUOTA,
  NO_RECENT_LAUNCHES,
  /** Eligible by its rules, but the quota leaves no room for even one warm kernel. */
  NO_HEADROOM;

  /** Whether the namespace keeps a pool (a namespace without headroom keeps an empty one). */
  public boolean keepsPool() {
    return this == ELIGIBLE || this == NO_HEADROOM;
  }
}
