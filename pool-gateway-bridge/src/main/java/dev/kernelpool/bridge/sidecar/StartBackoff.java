package dev.kernelpool.bridge.sidecar;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Backs off pool kernel starts while kernels keep failing to start (a kernel command that exits at
 * once, a missing module): after {@link #TOLERATED} failures in a row, the next start waits 1 s,
 * then 2 s, 4 s, ... up to 60 s; a kernel that becomes warm resets it. Meanwhile the sidecar is not
 * ready, and says why. Thread-safe.
 */
final class StartBackoff {
  static final int TOLERATED = 3;
  private static final Duration FIRST = Duration.ofSeconds(1);
  private static final Duration MAX = Duration.ofSeconds(60);

  private int failures;
  private Instant lastFailure = Instant.EPOCH;
  private String lastCause = "";

  /** A kernel failed to start; returns true when this failure starts or extends a back-off. */
  synchronized boolean failed(Instant now, String cause) {
    failures++;
    lastFailure = now;
    lastCause = cause;
    return failures >= TOLERATED;
  }

  /** A kernel became warm: starts work again. */
  synchronized void succeeded() {
    failures = 0;
  }

  /** When starts may resume; empty when they may now. */
  synchronized Optional<Instant> startsAllowedAt(Instant now) {
    if (failures < TOLERATED) {
      return Optional.empty();
    }
    long doublings = Math.min(failures - TOLERATED, 6);
    Duration wait = FIRST.multipliedBy(1L << doublings);
    Instant at = lastFailure.plus(wait.compareTo(MAX) > 0 ? MAX : wait);
    return at.isAfter(now) ? Optional.of(at) : Optional.empty();
  }

  /** Why the pool cannot fill, while kernels keep failing; empty otherwise. */
  synchronized Optional<String> problem() {
    if (failures < TOLERATED) {
      return Optional.empty();
    }
    return Optional.of("pool kernels keep failing to start (" + failures + " in a row); last: " + lastCause);
  }
}
