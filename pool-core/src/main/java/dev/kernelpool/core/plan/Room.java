package dev.kernelpool.core.plan;

import dev.kernelpool.core.quota.Budget;
import dev.kernelpool.core.resource.Resources;

/**
 * A mutable budget over a namespace's fixed list of limited resource names, for the planner's
 * inner loops: amounts are plain {@code long[]} indexed like {@link #names}, so fitting and
 * charging kernels allocates nothing. {@link Long#MAX_VALUE} stands for unlimited. One instance
 * is used by one planning call only.
 */
final class Room {
  private static final long UNLIMITED = Long.MAX_VALUE;

  private final String[] names;
  private final long[] left;

  private Room(String[] names, long[] left) {
    this.names = names;
    this.left = left;
  }

  /**
   * Rooms for two budgets over the same names: every name either limits. {@code [0]} is
   * {@code a}'s room, {@code [1]} is {@code b}'s.
   */
  static Room[] of(Budget a, Budget b) {
    Resources x = a.limits();
    Resources y = b.limits();
    String[] names = new String[x.size() + y.size()];
    long[] left0 = new long[names.length];
    long[] left1 = new long[names.length];
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < x.size() || j < y.size()) {
      int cmp =
          i == x.size() ? 1 : j == y.size() ? -1 : x.nameAt(i).compareTo(y.nameAt(j));
      names[k] = cmp <= 0 ? x.nameAt(i) : y.nameAt(j);
      left0[k] = cmp <= 0 ? x.milliAt(i++) : UNLIMITED;
      left1[k] = cmp >= 0 ? y.milliAt(j++) : UNLIMITED;
      k++;
    }
    if (k < names.length) {
      names = java.util.Arrays.copyOf(names, k);
      left0 = java.util.Arrays.copyOf(left0, k);
      left1 = java.util.Arrays.copyOf(left1, k);
    }
    return new Room[] {new Room(names, left0), new Room(names, left1)};
  }

  /** {@code r} projected onto this room's names. */
  long[] project(Resources r) {
    long[] out = new long[names.length];
    int j = 0;
    for (int i = 0; i < names.length && j < r.size(); i++) {
      int cmp;
      while (j < r.size() && (cmp = r.nameAt(j).compareTo(names[i])) <= 0) {
        if (cmp == 0) {
          out[i] = r.milliAt(j);
        }
        j++;
      }
    }
    return out;
  }

  Room copy() {
    return new Room(names, left.clone());
  }

  /** The tighter of this and {@code other}, name by name, as a new room. */
  Room min(Room other) {
    long[] out = new long[left.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.min(left[i], other.left[i]);
    }
    return new Room(names, out);
  }

  /** How many copies of {@code need} fit. */
  long copies(long[] need) {
    long copies = Long.MAX_VALUE;
    for (int i = 0; i < left.length; i++) {
      if (need[i] > 0 && left[i] != UNLIMITED) {
        copies = Math.min(copies, left[i] <= 0 ? 0 : left[i] / need[i]);
      }
    }
    return copies;
  }

  /** Charges {@code times} copies of {@code need}. */
  void take(long[] need, long times) {
    for (int i = 0; i < left.length; i++) {
      if (left[i] != UNLIMITED) {
        left[i] = Math.subtractExact(left[i], Math.multiplyExact(need[i], times));
      }
    }
  }

  /** Raises every limit to at least {@code floor}. */
  void raiseTo(long[] floor) {
    for (int i = 0; i < left.length; i++) {
      left[i] = Math.max(left[i], floor[i]);
    }
  }
}
