package dev.kernelpool.bridge.logging;

import java.time.Duration;
import java.time.InstantSource;

/**
 * How many lines of one kind may be logged per window: the first {@code lines} of each window
 * pass, later ones are counted, and the first line of the next window says how many were left out.
 * For lines an unauthenticated peer can cause (garbage on a port, wrong tokens). Thread-safe.
 */
public final class LogBudget {
  private final int lines;
  private final long windowMillis;
  private final InstantSource clock;
  private long windowStart;
  private int used;
  private long suppressed;

  public LogBudget(int lines, Duration window, InstantSource clock) {
    if (lines < 1 || window.isZero() || window.isNegative()) {
      throw new IllegalArgumentException("a log budget needs at least one line per positive window");
    }
    this.lines = lines;
    this.windowMillis = window.toMillis();
    this.clock = clock;
    this.windowStart = clock.millis();
  }

  /**
   * Whether a line may be logged now; when it may, {@link Grant#suppressed} says how many were left
   * out before it.
   */
  public synchronized Grant take() {
    long now = clock.millis();
    if (now - windowStart >= windowMillis) {
      windowStart = now;
      used = 0;
    }
    if (used >= lines) {
      suppressed++;
      return Grant.DENIED;
    }
    used++;
    long left = suppressed;
    suppressed = 0;
    return new Grant(true, left);
  }

  /**
   * Logs {@code format} (SLF4J's) at WARN if the budget allows, followed by how many similar lines
   * were left out before it: every budgeted line is written this one way.
   */
  public void warn(org.slf4j.Logger log, String format, Object... args) {
    Grant grant = take();
    if (grant.allowed()) {
      Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
      all[args.length] = grant.note();
      log.warn(format + "{}", all);
    }
  }

  /** Whether to log, and how many lines of this kind were left out since the last one logged. */
  public record Grant(boolean allowed, long suppressed) {
    static final Grant DENIED = new Grant(false, 0);

    /** A suffix for the line: empty, or how many similar lines were left out. */
    public String note() {
      return suppressed == 0 ? "" : " (" + suppressed + " similar lines left out)";
    }
  }
}
