package dev.kernelpool.k8s.pods;

import io.kubernetes.client.custom.Quantity;
import java.math.RoundingMode;
import java.util.Map;

/** client-java quantities in the milli-units pool-core counts in. */
public final class Quantities {
  private Quantities() {}

  /** Milli-units, rounded up as Kubernetes rounds sub-milli amounts. */
  public static long milli(Quantity q) {
    return q.getNumber().movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** Adds every quantity, as {@code prefix + name}, into {@code into}. */
  public static void addAll(Map<String, Long> into, Map<String, Quantity> quantities, String prefix) {
    if (quantities != null) {
      quantities.forEach((name, q) -> into.merge(prefix + name, milli(q), Long::sum));
    }
  }
}
