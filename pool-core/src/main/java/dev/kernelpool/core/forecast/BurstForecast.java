package dev.kernelpool.core.forecast;

import dev.kernelpool.core.snapshot.LaunchSeries;
import dev.kernelpool.core.snapshot.LaunchShape;
import java.time.Duration;
import java.util.Arrays;

/**
 * How many warm kernels of one profile a burst history sees coming needs now. It looks at the next
 * {@code lookahead} on each earlier day of the same kind (weekday or weekend, UTC) and averages the
 * launches there: C(x), the launches expected from now until x. A kernel started now is warm
 * {@code startTime} from now and at most {@code maxStarting} start at once, so by x at most
 * {@code maxStarting · floor((x - now) / startTime)} more can be ready; the pool must already hold
 * (warm or starting) the largest {@code C(x) - maxStarting · floor((x - now) / startTime)} over x.
 * That starts a burst as late as the start time and the waves allow, and drops to zero once history
 * says the burst is over. Only a burst counts: the launches in some stretch of {@code window} must
 * average at least {@code minLaunches} a day; anything quieter is the ordinary forecast's business.
 *
 * <p>While a burst is ahead the namespace must be planned every {@code replanEvery}; kernels are
 * started that much earlier, since one may be created up to that late.
 */
public final class BurstForecast {
  private static final long DAY = Duration.ofDays(1).toMillis();

  private final double minLaunches;
  private final long windowMillis;
  private final long lookaheadMillis;
  private final long startMillis;
  private final int maxStarting;
  private final int days;
  private final long replanMillis;

  /**
   * What a burst needs now.
   *
   * @param kernels warm or starting kernels the pool must hold now
   * @param underWay whether history had the burst's launches within the last lead: launches that
   *     come later than history's average still need its kernels, so none are given back yet
   */
  public record Need(int kernels, boolean underWay) {}

  /** {@link #kernelsNeeded}'s answer when no burst is ahead. */
  public static final Need NONE = new Need(-1, false);

  public BurstForecast(double minLaunches, Duration window, Duration lookahead, Duration startTime, int maxStarting, int days) {
    if (!(minLaunches >= 1) || window.isNegative() || window.isZero() || lookahead.compareTo(window) < 0
        || startTime.isNegative() || startTime.isZero() || maxStarting < 1 || days < 1) {
      throw new IllegalArgumentException("burst forecast: need minLaunches >= 1, 0 < window <= lookahead, startTime > 0, maxStarting >= 1, days >= 1");
    }
    this.minLaunches = minLaunches;
    this.windowMillis = window.toMillis();
    this.lookaheadMillis = lookahead.toMillis();
    this.startMillis = startTime.toMillis();
    this.maxStarting = maxStarting;
    this.days = days;
    this.replanMillis = Math.max(1_000, Math.min(15_000, startMillis / 8));
  }

  /** How often a namespace with a burst ahead must be planned. */
  public Duration replanEvery() {
    return Duration.ofMillis(replanMillis);
  }

  /**
   * Warm or starting kernels of the profile launched at {@code series} that a burst needs at
   * {@code nowMillis}, or {@link #NONE} when no burst is ahead.
   */
  public Need kernelsNeeded(LaunchSeries series, long nowMillis) {
    if (series.size() == 0) {
      return NONE;
    }
    // History from one lead back (a burst under way) to the lookahead, on earlier days of this kind.
    long lead = startMillis + replanMillis;
    boolean weekend = LaunchShape.isWeekend(nowMillis);
    int seen = 0;
    int total = 0;
    long first = series.epochMilliAt(0);
    for (int k = days; k >= 1; k--) {
      long from = nowMillis - k * DAY;
      if (!looksAt(from, weekend, first)) {
        continue;
      }
      seen++;
      total += series.countMillis(from - lead, from + lookaheadMillis);
    }
    if (seen == 0 || total < minLaunches * seen) {
      return NONE; // no stretch can hold a burst when the whole span does not
    }
    long[] offsets = new long[total];
    int n = 0;
    for (int k = days; k >= 1; k--) {
      long from = nowMillis - k * DAY;
      if (!looksAt(from, weekend, first)) {
        continue;
      }
      int i = series.indexAtOrAfter(from - lead, 0);
      for (; i < series.size() && series.epochMilliAt(i) < from + lookaheadMillis; i++) {
        offsets[n++] = series.epochMilliAt(i) - from;
      }
    }
    Arrays.sort(offsets, 0, n);
    if (peak(offsets, n) < minLaunches * seen) {
      return NONE;
    }
    int past = 0;
    while (past < n && offsets[past] < 0) {
      past++;
    }
    double need = 0;
    for (int j = past; j < n; j++) {
      double expected = (j - past + 1) / (double) seen;
      need = Math.max(need, expected - (double) maxStarting * (offsets[j] / lead));
    }
    return new Need((int) Math.ceil(need - 1e-9), past > 0);
  }

  /** The most offsets within one window. */
  private int peak(long[] offsets, int n) {
    int best = 0;
    int lo = 0;
    for (int hi = 0; hi < n; hi++) {
      while (offsets[hi] - offsets[lo] >= windowMillis) {
        lo++;
      }
      best = Math.max(best, hi - lo + 1);
    }
    return best;
  }

  /** Whether the day at {@code from} is looked at: of today's kind, and not wholly before the profile's first launch. */
  private boolean looksAt(long from, boolean weekend, long firstLaunch) {
    return LaunchShape.isWeekend(from) == weekend && from + lookaheadMillis > firstLaunch;
  }
}
