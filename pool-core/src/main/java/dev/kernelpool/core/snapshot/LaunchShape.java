package dev.kernelpool.core.snapshot;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * When in the day the cluster launches kernels: launches per quarter hour of the day, summed over
 * the complete earlier days of each kind (weekdays, weekend days, UTC) in a window. Thousands of
 * launches give a shape that one profile's few cannot, so a profile's rate at some hour can be read
 * as its launches per day times the cluster's share of a day's launches in that hour.
 */
public final class LaunchShape {
  /** The slot width: a quarter hour. */
  public static final long SLOT_MILLIS = 15 * 60_000L;
  static final long DAY = 24 * 60 * 60_000L;
  /** Slots in a day. */
  public static final int SLOTS = (int) (DAY / SLOT_MILLIS);

  /** No complete day seen: nothing known. */
  public static final LaunchShape NONE = new LaunchShape(new long[SLOTS], 0, new long[SLOTS], 0, 0, new long[SLOTS]);

  private final long[] weekday;
  private final long[] weekend;
  private final int weekdays;
  private final int weekendDays;
  private final double[] weekdayCumulative;
  private final double[] weekendCumulative;
  private final long todayStart;
  private final long[] today;
  private final long launchesToday;

  /**
   * @param weekdaySlots launches per slot of the day, summed over {@code weekdays} complete weekdays
   * @param weekendSlots the same over {@code weekendDays} complete weekend days
   */
  public LaunchShape(long[] weekdaySlots, int weekdays, long[] weekendSlots, int weekendDays) {
    this(weekdaySlots, weekdays, weekendSlots, weekendDays, 0, new long[SLOTS]);
  }

  /**
   * With today's launches so far as well.
   *
   * @param todayStart the start (UTC midnight) of the day {@code todaySlots} counts
   * @param todaySlots launches per slot of that day so far
   */
  public LaunchShape(long[] weekdaySlots, int weekdays, long[] weekendSlots, int weekendDays, long todayStart, long[] todaySlots) {
    if (weekdaySlots.length != SLOTS || weekendSlots.length != SLOTS || todaySlots.length != SLOTS || weekdays < 0 || weekendDays < 0) {
      throw new IllegalArgumentException("a launch shape has " + SLOTS + " slots per kind of day and non-negative day counts");
    }
    this.weekday = weekdaySlots.clone();
    this.weekend = weekendSlots.clone();
    this.weekdays = weekdays;
    this.weekendDays = weekendDays;
    this.weekdayCumulative = cumulative(weekday);
    this.weekendCumulative = cumulative(weekend);
    this.todayStart = todayStart;
    this.today = todaySlots.clone();
    long sum = 0;
    for (long n : today) {
      sum += n;
    }
    this.launchesToday = sum;
  }

  /** The cluster's launches so far on the day of {@code nowMillis}; 0 when that day is not counted. */
  public long launchesToday(long nowMillis) {
    return Math.floorDiv(nowMillis, DAY) * DAY == todayStart ? launchesToday : 0;
  }

  /**
   * The cluster's launches per millisecond over the stretch of today before {@code nowMillis} of
   * about {@code windowMillis}, by whole slots (the current one counted as far as it has run); 0
   * when today is not counted.
   */
  public double recentRate(long nowMillis, long windowMillis) {
    if (launchesToday(nowMillis) == 0) {
      return 0;
    }
    int current = (int) ((nowMillis - todayStart) / SLOT_MILLIS);
    int first = Math.max(0, current - (int) Math.max(1, windowMillis / SLOT_MILLIS));
    long launches = 0;
    for (int i = first; i <= current; i++) {
      launches += today[i];
    }
    long span = nowMillis - (todayStart + first * SLOT_MILLIS);
    return span <= 0 ? 0 : launches / (double) span;
  }

  private static double[] cumulative(long[] slots) {
    double[] c = new double[SLOTS + 1];
    for (int i = 0; i < SLOTS; i++) {
      c[i + 1] = c[i] + slots[i];
    }
    return c;
  }

  /** Whether a complete day of {@code epochMillis}'s kind with launches was seen. */
  public boolean knows(long epochMillis) {
    double[] c = isWeekend(epochMillis) ? weekendCumulative : weekdayCumulative;
    return c[SLOTS] > 0;
  }

  /** Complete days of {@code epochMillis}'s kind counted. */
  public int days(long epochMillis) {
    return isWeekend(epochMillis) ? weekendDays : weekdays;
  }

  /**
   * The share of a day's launches (of {@code fromMillis}'s kind) that falls in the times of day
   * {@code [fromMillis, toMillis)}, spread evenly within slots; {@code toMillis - fromMillis} is at
   * most a day. 0 when the kind is not known.
   */
  public double share(long fromMillis, long toMillis) {
    double[] c = isWeekend(fromMillis) ? weekendCumulative : weekdayCumulative;
    if (c[SLOTS] == 0 || toMillis <= fromMillis) {
      return 0;
    }
    long from = Math.floorMod(fromMillis, DAY);
    long to = from + Math.min(DAY, toMillis - fromMillis);
    double launches = to <= DAY ? upTo(c, to) - upTo(c, from) : c[SLOTS] - upTo(c, from) + upTo(c, to - DAY);
    return launches / c[SLOTS];
  }

  /** Launches in the cumulative {@code c} before time of day {@code t} (0..DAY). */
  private static double upTo(double[] c, long t) {
    int slot = (int) (t / SLOT_MILLIS);
    if (slot >= SLOTS) {
      return c[SLOTS];
    }
    return c[slot] + (c[slot + 1] - c[slot]) * (t - slot * SLOT_MILLIS) / (double) SLOT_MILLIS;
  }

  /**
   * Counts every launch in {@code series} on the complete days within {@code [fromMillis, nowMillis)}:
   * days that started at or after {@code fromMillis} and ended by the start of {@code nowMillis}'s day.
   */
  public static LaunchShape count(Map<PoolProfile, LaunchSeries> series, long fromMillis, long nowMillis) {
    long firstDay = firstDay(series, fromMillis);
    if (firstDay == Long.MAX_VALUE) {
      return NONE;
    }
    long today = Math.floorDiv(nowMillis, DAY) * DAY;
    Map<Long, long[]> byDay = new HashMap<>();
    for (LaunchSeries s : series.values()) {
      for (int i = s.indexAtOrAfter(Math.min(firstDay, today), 0); i < s.size() && s.epochMilliAt(i) < nowMillis; i++) {
        long t = s.epochMilliAt(i);
        long day = Math.floorDiv(t, DAY) * DAY;
        byDay.computeIfAbsent(day, d -> new long[SLOTS])[(int) ((t - day) / SLOT_MILLIS)]++;
      }
    }
    return ofDays(byDay::get, firstDay, today);
  }

  /**
   * What {@link #count} gives, from launches already counted per day ({@code slotsOfDay}: every
   * launch of {@code series} by its day's slots, kept as they are recorded): only the first complete
   * day is looked up in {@code series} (one search per profile), not every launch. Today's launches
   * are all those counted for today.
   */
  public static LaunchShape ofCountedDays(Map<PoolProfile, LaunchSeries> series, LongFunction<long[]> slotsOfDay, long fromMillis,
      long nowMillis) {
    long firstDay = firstDay(series, fromMillis);
    return firstDay == Long.MAX_VALUE ? NONE : ofDays(slotsOfDay, firstDay, Math.floorDiv(nowMillis, DAY) * DAY);
  }

  /** The first complete day at or after {@code fromMillis} given the earliest launch since then; {@code Long.MAX_VALUE} if none. */
  private static long firstDay(Map<PoolProfile, LaunchSeries> series, long fromMillis) {
    long earliest = Long.MAX_VALUE;
    for (LaunchSeries s : series.values()) {
      int i = s.indexAtOrAfter(fromMillis, 0);
      if (i < s.size()) {
        earliest = Math.min(earliest, s.epochMilliAt(i));
      }
    }
    return earliest == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(Math.floorDiv(fromMillis + DAY - 1, DAY) * DAY, firstCompleteDay(earliest));
  }

  /**
   * The shape of the complete days {@code [firstDay, today)} and of {@code today} so far, from each
   * day's launches per slot ({@code slotsOfDay}: a day's start to its {@value #SLOTS} counts, null
   * for a day without launches).
   */
  public static LaunchShape ofDays(LongFunction<long[]> slotsOfDay, long firstDay, long today) {
    long[] weekday = new long[SLOTS];
    long[] weekend = new long[SLOTS];
    int weekdays = 0;
    int weekendDays = 0;
    for (long d = firstDay; d < today; d += DAY) {
      boolean isWeekend = isWeekend(d);
      long[] counts = slotsOfDay.apply(d);
      if (counts != null) {
        long[] into = isWeekend ? weekend : weekday;
        for (int i = 0; i < SLOTS; i++) {
          into[i] += counts[i];
        }
      }
      if (isWeekend) {
        weekendDays++;
      } else {
        weekdays++;
      }
    }
    long[] sofar = slotsOfDay.apply(today);
    return new LaunchShape(weekday, weekdays, weekend, weekendDays, today, sofar == null ? new long[SLOTS] : sofar);
  }

  /**
   * The first day whose launches can be taken as complete, given the earliest launch known: its own
   * day when it came in that day's first hour (a history that starts with the day), else the next
   * (a sidecar started at 14:00 saw no morning).
   */
  public static long firstCompleteDay(long earliestLaunchMillis) {
    long day = Math.floorDiv(earliestLaunchMillis, DAY) * DAY;
    return earliestLaunchMillis - day < DAY / 24 ? day : day + DAY;
  }

  /** Whether {@code epochMillis} falls on a Saturday or Sunday (UTC). */
  public static boolean isWeekend(long epochMillis) {
    long dow = Math.floorMod(Math.floorDiv(epochMillis, DAY) + 3, 7); // 1970-01-01 was a Thursday: 0 = Monday
    return dow >= 5;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LaunchShape s && weekdays == s.weekdays && weekendDays == s.weekendDays
        && Arrays.equals(weekday, s.weekday) && Arrays.equals(weekend, s.weekend)
        && todayStart == s.todayStart && Arrays.equals(today, s.today);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(weekday) + Arrays.hashCode(weekend) + 7 * weekdays + weekendDays;
  }

  @Override
  public String toString() {
    return "LaunchShape[" + weekdays + " weekdays, " + weekendDays + " weekend days]";
  }
}
