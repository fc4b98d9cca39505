package dev.kernelpool.bridge.wire;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the signatures of the last {@code capacity} messages, so a message seen before is
 * dropped as a replay, as {@code jupyter_client}'s session does with its digest history. Not
 * thread-safe: one per receiving socket owner.
 */
public final class ReplayGuard {
  private final Map<String, Boolean> seen;

  public ReplayGuard(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("replay history capacity must be positive");
    }
    this.seen =
        new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, false) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Records {@code signature}; false when it was seen before. Empty signatures are not tracked. */
  public boolean firstSeen(String signature) {
    return signature.isEmpty() || seen.put(signature, Boolean.TRUE) == null;
  }
}
