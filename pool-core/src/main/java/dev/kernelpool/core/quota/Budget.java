package dev.kernelpool.core.quota;

import dev.kernelpool.core.resource.Resources;

/**
 * Upper limits on some resource names; a name the budget does not mention is unlimited. Limits
 * may be negative (already exceeded), in which case nothing fits.
 */
public final class Budget {
  private static final Budget UNLIMITED = new Budget(Resources.none());

  private final Resources limits;

  private Budget(Resources limits) {
    this.limits = limits;
  }

  public static Budget unlimited() {
    return UNLIMITED;
  }

  /** A budget limiting exactly the names {@code limits} mentions. */
  public static Budget of(Resources limits) {
    return limits.size() == 0 ? UNLIMITED : new Budget(limits);
  }

  public Resources limits() {
    return limits;
  }

  public boolean isUnlimited() {
    return limits.size() == 0;
  }

  /** How many copies of {@code footprint} fit; {@link Long#MAX_VALUE} when none is limited. */
  public long copiesOf(Resources footprint) {
    long copies = Long.MAX_VALUE;
    for (int i = 0; i < limits.size(); i++) {
      long need = footprint.milli(limits.nameAt(i));
      if (need > 0) {
        long limit = limits.milliAt(i);
        copies = Math.min(copies, limit <= 0 ? 0 : limit / need);
      }
    }
    return copies;
  }

  /**
   * Whether {@code need} fits: every limited name that {@code need} asks a positive amount of is
   * within its limit. A name it does not ask for never stops it, even where that limit is already
   * exceeded.
   */
  public boolean fits(Resources need) {
    for (int i = 0; i < limits.size(); i++) {
      long amount = need.milli(limits.nameAt(i));
      if (amount > 0 && amount > limits.milliAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** This budget with {@code used} taken from the limited names; other names stay unlimited. */
  public Budget minus(Resources used) {
    if (isUnlimited() || used.size() == 0) {
      return this;
    }
    return new Budget(limits.map((name, limit) -> Math.subtractExact(limit, used.milli(name))));
  }

  /** The tighter of two budgets, name by name. */
  public Budget min(Budget other) {
    if (other.isUnlimited()) {
      return this;
    }
    if (isUnlimited()) {
      return other;
    }
    return new Budget(limits.minOfMentioned(other.limits));
  }

  /** This budget with every limit raised to at least {@code floor}'s amount of that name. */
  public Budget atLeast(Resources floor) {
    return isUnlimited()
        ? this
        : new Budget(limits.map((name, limit) -> Math.max(limit, floor.milli(name))));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Budget b && limits.names().equals(b.limits.names()) && limits.equals(b.limits);
  }

  @Override
  public int hashCode() {
    return limits.names().hashCode();
  }

  @Override
  public String toString() {
    return isUnlimited() ? "unlimited" : limits.toString();
  }
}
