package dev.kernelpool.core.sim.bound;

import dev.kernelpool.core.sim.trace.Launch;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link OnlineBound} for a trace whose true launch rates nobody knows (your own history): each
 * profile's rate in each stretch of {@code bucket} is taken as the launches it saw there. That
 * credits the bound with knowing each bucket's count in advance, so on the same trace it is at or
 * below a bound from the true rates: a ratio against it overstates the gap a little, never hides it.
 */
public final class TraceRates {
  private TraceRates() {}

  public static OnlineBound bound(List<Launch> trace, Duration bucket) {
    if (bucket.isNegative() || bucket.isZero()) {
      throw new IllegalArgumentException("bucket must be positive: " + bucket);
    }
    long size = bucket.toMillis();
    Map<PoolProfile, Map<Long, Integer>> counts = new HashMap<>();
    for (Launch l : trace) {
      counts.computeIfAbsent(l.profile(), p -> new HashMap<>()).merge(Math.floorDiv(l.timestampMs(), size), 1, Integer::sum);
    }
    int stretches = counts.values().stream().mapToInt(Map::size).sum();
    double[] rates = new double[stretches];
    double[] hours = new double[stretches];
    double bucketHours = size / 3_600_000.0;
    int i = 0;
    for (Map<Long, Integer> perBucket : counts.values()) {
      for (int n : perBucket.values()) {
        rates[i] = n / bucketHours;
        hours[i] = bucketHours;
        i++;
      }
    }
    return new OnlineBound(rates, hours);
  }
}
