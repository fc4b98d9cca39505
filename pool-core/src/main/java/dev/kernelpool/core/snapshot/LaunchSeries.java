package dev.kernelpool.core.snapshot;

import java.time.Instant;
import java.util.Arrays;

/** The launch times of one profile, sorted ascending, as epoch milliseconds. Immutable. */
public final class LaunchSeries {
  private static final LaunchSeries EMPTY = new LaunchSeries(new long[0]);

  private final long[] times;

  private LaunchSeries(long[] sortedTimes) {
    this.times = sortedTimes;
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
    return times.length;
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
    if (toMillis <= fromMillis || times.length == 0) {
      return 0;
    }
    // Histories usually end before "to" (now): then only "from" needs a search.
    int upper = times[times.length - 1] < toMillis ? times.length : lowerBound(toMillis);
    return upper - lowerBound(fromMillis);
  }

  /** Whether any launch falls in {@code [fromMillis, toMillis)}. */
  public boolean anyMillis(long fromMillis, long toMillis) {
    if (toMillis <= fromMillis || times.length == 0) {
      return false;
    }
    long last = times[times.length - 1];
    if (last < toMillis) {
      return last >= fromMillis;
    }
    int first = lowerBound(fromMillis);
    return first < times.length && times[first] < toMillis;
  }

  /** Index of the first time {@code >= t}. */
  private int lowerBound(long t) {
    int lo = 0;
    int hi = times.length;
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
    long[] copy = Arrays.copyOf(times, times.length + 1);
    int at = lowerBound(epochMilli + 1);
    System.arraycopy(times, at, copy, at + 1, times.length - at);
    copy[at] = epochMilli;
    return new LaunchSeries(copy);
  }

  /** The launches at or after {@code fromMillis}: how histories are kept bounded. */
  public LaunchSeries since(long fromMillis) {
    int start = lowerBound(fromMillis);
    return start == 0 ? this : new LaunchSeries(Arrays.copyOfRange(times, start, times.length));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LaunchSeries s && Arrays.equals(times, s.times);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(times);
  }

  @Override
  public String toString() {
    return "LaunchSeries[" + times.length + " launches]";
  }
}
