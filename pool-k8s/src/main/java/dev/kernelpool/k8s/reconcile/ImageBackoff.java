package dev.kernelpool.k8s.reconcile;

import dev.kernelpool.core.snapshot.PoolProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Profiles whose image could not be pulled, per namespace: no pool pod of one is created until its
 * back-off has passed (5 minutes, doubling at each further failure, at most an hour), so a pool
 * whose image is gone or misspelt stops trying instead of creating a pod every reconcile.
 */
final class ImageBackoff {
  static final Duration FIRST = Duration.ofMinutes(5);
  static final Duration MAX = Duration.ofHours(1);

  private record Blocked(Instant until, int failures) {}

  private final Map<String, Blocked> blocked = new ConcurrentHashMap<>();

  /**
   * Records a failure of {@code profile}'s image and returns until when its pool pods wait. A
   * failure while it already waits (another pod of the same wave) changes nothing; the first after
   * the wait doubles it.
   */
  Instant failed(PoolProfile profile, Instant now) {
    Blocked before = blocked.get(key(profile));
    if (before != null && now.isBefore(before.until())) {
      return before.until();
    }
    int failures = before == null ? 1 : before.failures() + 1;
    Duration wait = FIRST.multipliedBy(1L << Math.min(failures - 1, 10));
    if (wait.compareTo(MAX) > 0) {
      wait = MAX;
    }
    blocked.put(key(profile), new Blocked(now.plus(wait), failures));
    return now.plus(wait);
  }

  /** Whether pool pods of {@code profile} wait now. */
  boolean blocks(PoolProfile profile, Instant now) {
    Blocked b = blocked.get(key(profile));
    return b != null && now.isBefore(b.until());
  }

  /** A pod of the profile became warm: its image is there again, the next failure starts over. */
  void succeeded(PoolProfile profile) {
    blocked.remove(key(profile));
  }

  private static String key(PoolProfile profile) {
    return profile.namespace() + "/" + profile.hash();
  }
}
