package dev.kernelpool.core.snapshot;

import java.time.Instant;
import java.util.Arrays;

/** The launch times of one profile, sorted ascending, as epoch milliseconds. Immutable. */
public final class LaunchSeries {
  private static final LaunchSeries EMPTY = new LaunchSeries(new long[0], 0);

  /** Sorted; only the first {@code size} entries belong to this series. */
  private final long[] times;

  private final int size;

  private LaunchSeries(long[] sortedTimes, int size) {
    this.times = sortedTimes;
    this.size = size;
  }

  private LaunchSeries(long[] sortedTimes) {
    this(sortedTimes, sortedTimes.length);
  }

  /**
   * A series over the first {@code size} entries of {@code sortedTimes}, without copying: for a
   * simulator that appends launches to its own array. The caller must keep those entries sorted and
   * never change them; appending beyond {@code size} does not affect this series.
   */
  public static LaunchSeries viewOfSortedPrefix(long[] sortedTimes, int size) {
    if (size < 0 || size > sortedTimes.length) {
      throw new IllegalArgumentException("prefix size " + size + " out of range");
    }
    return size == 0 ? EMPTY : new LaunchSeries(sortedTimes, size);
  }

  public static LaunchSeries empty() {
    return EMPTY;
  }

  /** A series of the given epoch-millisecond times, in any order. */
  public static LaunchSeries ofEpochMillis(long... epochMillis) {
    long[] copy = epochMillis.clone();
    Arrays.sort(copy);
    return copy.length == 0 ? EMPTY : new LaunchSeries(copy);
  }

  public int size() {
    return size;
  }

  /** The i-th launch time in epoch milliseconds, ascending. */
  public long epochMilliAt(int i) {
    return times[i];
  }

  /** Launches in {@code [from, to)}. */
  public int count(Instant from, Instant to) {
    return countMillis(from.toEpochMilli(), to.toEpochMilli());
  }

  /** Launches in {@code [fromMillis, toMillis)}. */
  public int countMillis(long fromMillis, long toMillis) {
    if (toMillis <= fromMillis || size == 0) {
      return 0;
    }
    // Histories usually end before "to" (now): then only "from" needs a search.
    int upper = times[size - 1] < toMillis ? size : lowerBound(toMillis);
    return upper - lowerBound(fromMillis);
  }

  /** Whether any launch falls in {@code [fromMillis, toMillis)}. */
  public boolean anyMillis(long fromMillis, long toMillis) {
    if (toMillis <= fromMillis || size == 0) {
      return false;
    }
    long last = times[size - 1];
    if (last < toMillis) {
      return last >= fromMillis;
    }
    int first = lowerBound(fromMillis);
    return first < size && times[first] < toMillis;
  }

  /**
   * Index of the first time {@code >= t}, searching forward from {@code from} (which must not be
   * past it) by galloping: cheap for a sequence of increasing {@code t}.
   */
  public int indexAtOrAfter(long t, int from) {
    int lo = Math.max(0, from);
    if (lo >= size || times[lo] >= t) {
      return Math.min(lo, size);
    }
    int step = 1;
    int hi = lo + 1;
    while (hi < size && times[hi] < t) {
      lo = hi;
      step <<= 1;
      hi = lo + step;
    }
    return search(t, lo, Math.min(hi, size));
  }

  /** Index of the first time {@code >= t}. */
  private int lowerBound(long t) {
    return search(t, 0, size);
  }

  /** Index of the first time {@code >= t} within {@code [lo, hi)}, or {@code hi}. */
  private int search(long t, int lo, int hi) {
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (times[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** A new series with one more launch. */
  public LaunchSeries plus(long epochMilli) {
    long[] copy = Arrays.copyOf(times, size + 1);
    int at = lowerBound(epochMilli + 1);
    System.arraycopy(times, at, copy, at + 1, size - at);
    copy[at] = epochMilli;
    return new LaunchSeries(copy);
  }

  /** The launches at or after {@code fromMillis}: how histories are kept bounded. */
  public LaunchSeries since(long fromMillis) {
    int start = lowerBound(fromMillis);
    return start == 0 ? this : new LaunchSeries(Arrays.copyOfRange(times, start, size));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LaunchSeries s && Arrays.equals(times, 0, size, s.times, 0, s.size);
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (int i = 0; i < size; i++) {
      h = 31 * h + Long.hashCode(times[i]);
    }
    return h;
  }

  @Override
  public String toString() {
    return "LaunchSeries[" + size + " launches]";
  }
}
