package dev.kernelpool.bridge.pool;

import dev.kernelpool.core.snapshot.LaunchHistory;
import dev.kernelpool.core.snapshot.LaunchSeries;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Records every launch request (hit or miss) per profile, so forecasts see the demand and not
 * only what the pool served. Keeps a bounded window.
 */
public final class LaunchRecorder {
  private final Duration window;
  private final Map<PoolProfile, LaunchSeries> launches = new HashMap<>();

  public LaunchRecorder(Duration window) {
    this.window = window;
  }

  public synchronized void record(PoolProfile profile, Instant at) {
    long cutoff = at.minus(window).toEpochMilli();
    launches.merge(profile, LaunchSeries.ofEpochMillis(at.toEpochMilli()), (a, b) -> a.since(cutoff).plus(at.toEpochMilli()));
  }

  /** The launches of {@code namespace} within the window before {@code now}. */
  public synchronized LaunchHistory history(String namespace, Instant now) {
    long cutoff = now.minus(window).toEpochMilli();
    Map<PoolProfile, LaunchSeries> out = new HashMap<>();
    launches.forEach(
        (p, s) -> {
          if (p.namespace().equals(namespace)) {
            LaunchSeries recent = s.since(cutoff);
            if (recent.size() > 0) {
              out.put(p, recent);
            }
          }
        });
    return new LaunchHistory(out);
  }
}
