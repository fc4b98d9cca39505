package dev.kernelpool.core.snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Records every launch (hit or miss) per profile, so forecasts see the demand and not only what
 * the pool served. Keeps a bounded window; safe for concurrent use.
 */
public final class LaunchRecorder {
  private final Duration window;
  private final Map<PoolProfile, LaunchSeries> launches = new HashMap<>();
  /**
   * Every profile's launches per quarter hour, by day (its UTC midnight), kept as launches are
   * added: the cluster's launch shape is read from a week of these, not counted again from every
   * launch at every plan (16 ms a plan at a million launches a week).
   */
  private final TreeMap<Long, long[]> slotsByDay = new TreeMap<>();
  private long changes;

  public LaunchRecorder(Duration window) {
    this.window = window;
  }

  public synchronized void record(PoolProfile profile, Instant at) {
    long cutoff = at.minus(window).toEpochMilli();
    launches.merge(profile, LaunchSeries.ofEpochMillis(at.toEpochMilli()), (a, b) -> a.since(cutoff).plus(at.toEpochMilli()));
    countSlot(at.toEpochMilli());
    // days wholly before the window serve no shape any more
    slotsByDay.headMap(Math.floorDiv(cutoff, LaunchShape.DAY) * LaunchShape.DAY).clear();
    changes++;
  }

  private void countSlot(long epochMillis) {
    long day = Math.floorDiv(epochMillis, LaunchShape.DAY) * LaunchShape.DAY;
    slotsByDay.computeIfAbsent(day, d -> new long[LaunchShape.SLOTS])[(int) ((epochMillis - day) / LaunchShape.SLOT_MILLIS)]++;
  }

  /** How many times launches were added: a saver compares it with what it last saved. */
  public synchronized long changes() {
    return changes;
  }

  /** Adds a whole series of launches of {@code profile} (a saved history being restored). */
  public synchronized void recordAll(PoolProfile profile, LaunchSeries series) {
    changes++;
    for (int i = 0; i < series.size(); i++) {
      countSlot(series.epochMilliAt(i));
    }
    LaunchSeries existing = launches.get(profile);
    if (existing == null || existing.size() == 0) {
      launches.put(profile, series);
      return;
    }
    long[] all = new long[existing.size() + series.size()];
    for (int i = 0; i < existing.size(); i++) {
      all[i] = existing.epochMilliAt(i);
    }
    for (int i = 0; i < series.size(); i++) {
      all[existing.size() + i] = series.epochMilliAt(i);
    }
    launches.put(profile, LaunchSeries.ofEpochMillis(all));
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

  /** Launches per kernelspec and by time of day across every namespace within the window before {@code now}. */
  public synchronized KernelspecPopularity popularity(Instant now) {
    long from = now.minus(window).toEpochMilli();
    return new KernelspecPopularity(KernelspecPopularity.count(launches, from).launches(),
        LaunchShape.ofCountedDays(launches, slotsByDay::get, from, now.toEpochMilli()));
  }

  /** Every profile's launches within the window before {@code now}: what is persisted. */
  public synchronized Map<PoolProfile, LaunchSeries> export(Instant now) {
    long cutoff = now.minus(window).toEpochMilli();
    Map<PoolProfile, LaunchSeries> out = new HashMap<>();
    launches.forEach((p, s) -> {
      LaunchSeries recent = s.since(cutoff);
      if (recent.size() > 0) {
        out.put(p, recent);
      }
    });
    return out;
  }
}
