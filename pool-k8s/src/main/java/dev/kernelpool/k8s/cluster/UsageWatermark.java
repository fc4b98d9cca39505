package dev.kernelpool.k8s.cluster;

import dev.kernelpool.core.resource.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The highest quota usage each namespace reported within a window: what the planner takes as
 * used. A real API server's {@code status.used} can briefly fall below the truth while the
 * controller-manager recounts from a pod cache that lags the pool's own creations, and the pool's
 * quota watch can deliver after its pod watch. Taking such a dip at face value lets the leader
 * create pods beyond the 95% rule (the likeliest cause of three such pods once seen on a real
 * kube-apiserver). Erring high for the window only delays using room that really opened up.
 */
final class UsageWatermark {
  private record Seen(Instant at, Resources used) {}

  private final Duration window;
  private final Map<String, Deque<Seen>> seen = new HashMap<>();

  UsageWatermark(Duration window) {
    this.window = window;
  }

  /** Records {@code used} for {@code namespace} at {@code now}; answers the highest of the window, per resource. */
  synchronized Resources observe(String namespace, Resources used, Instant now) {
    Deque<Seen> history = seen.computeIfAbsent(namespace, n -> new ArrayDeque<>());
    Instant cutoff = now.minus(window);
    while (!history.isEmpty() && history.peekFirst().at().isBefore(cutoff)) {
      history.removeFirst();
    }
    if (history.isEmpty() || !history.peekLast().used().equals(used)) {
      history.addLast(new Seen(now, used));
    }
    if (history.size() == 1) {
      return used;
    }
    Map<String, Long> max = new TreeMap<>();
    for (Seen s : history) {
      for (int i = 0; i < s.used().size(); i++) {
        max.merge(s.used().nameAt(i), s.used().milliAt(i), Math::max);
      }
    }
    return Resources.ofMilli(max);
  }

  /** Forgets namespaces no longer seen, so the map does not grow with deleted namespaces. */
  synchronized void retainOnly(Set<String> namespaces) {
    seen.keySet().retainAll(namespaces);
  }
}
