package dev.kernelpool.k8s.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Switches that make the API server misbehave: answer with an error, go down altogether, answer
 * slowly, drop every open watch, or hold watch events back (an informer that lags behind).
 */
public final class Faults {
  private record Rule(Predicate<ApiRequest> which, int status, AtomicInteger remaining) {}

  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final AtomicLong watchGeneration = new AtomicLong();
  private volatile boolean down;
  private volatile long latencyMillis;
  private volatile boolean watchEventsHeld;

  /** The next {@code times} requests matching {@code which} are answered with {@code status}. */
  public void fail(Predicate<ApiRequest> which, int status, int times) {
    rules.add(new Rule(which, status, new AtomicInteger(times)));
  }

  /** Down: every request, watches included, is answered 503 and open watches end. */
  public void setDown(boolean down) {
    this.down = down;
    if (down) {
      dropWatches();
    }
  }

  /** Every non-watch request waits this long before it is served. */
  public void setLatency(Duration latency) {
    this.latencyMillis = latency.toMillis();
  }

  /** Ends every open watch stream, as a load balancer timing out would. */
  public void dropWatches() {
    watchGeneration.incrementAndGet();
  }

  /**
   * Held: open watches stay open but deliver no event, as an informer re-establishing its watch or
   * behind a slow API server sees nothing for a while; released, they deliver what changed meanwhile.
   */
  public void holdWatchEvents(boolean held) {
    this.watchEventsHeld = held;
  }

  /** Clears every switch. */
  public void reset() {
    rules.clear();
    down = false;
    latencyMillis = 0;
    watchEventsHeld = false;
  }

  boolean watchEventsHeld() {
    return watchEventsHeld;
  }

  long watchGeneration() {
    return watchGeneration.get();
  }

  long latencyMillis() {
    return latencyMillis;
  }

  /** The status to answer {@code request} with, or 0 to serve it. */
  int statusFor(ApiRequest request) {
    if (down) {
      return 503;
    }
    for (Rule r : rules) {
      if (r.which().test(request) && r.remaining().getAndDecrement() > 0) {
        return r.status();
      }
    }
    return 0;
  }
}
