package dev.kernelpool.core.sim.report;

import dev.kernelpool.core.sim.SimResult;
import dev.kernelpool.core.sim.bound.BoundComparison;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The results as JSON: {@code {"policies": [{"policy": "seed", "hit_rate": 0.93, ...}, ...]}},
 * snake_case keys, numbers with fixed precision so the same run prints the same bytes.
 */
public final class JsonReport {
  private JsonReport() {}

  public static String render(List<SimResult> results) {
    return render(results, Optional.empty());
  }

  /** With a bound, each policy also carries {@code bound_idle_kernel_hours} and {@code vs_bound}. */
  public static String render(List<SimResult> results, Optional<BoundComparison> bound) {
    StringBuilder sb = new StringBuilder("{\"policies\": [");
    for (int i = 0; i < results.size(); i++) {
      SimResult r = results.get(i);
      sb.append(i == 0 ? "\n  " : ",\n  ");
      sb.append('{');
      field(sb, "policy", '"' + r.policy() + '"', true);
      field(sb, "launches", Long.toString(r.launches()), false);
      field(sb, "hits", Long.toString(r.hits()), false);
      field(sb, "hit_rate", number(r.hitRate()), false);
      field(sb, "wait_p50_s", number(r.waitP50Seconds()), false);
      field(sb, "wait_p95_s", number(r.waitP95Seconds()), false);
      field(sb, "wait_p99_s", number(r.waitP99Seconds()), false);
      field(sb, "idle_kernel_hours", number(r.idleKernelHours()), false);
      field(sb, "idle_cpu_hours", number(r.idleCpuHours()), false);
      field(sb, "idle_memory_gib_hours", number(r.idleMemoryGibHours()), false);
      field(sb, "peak_quota_use", number(r.peakQuotaUse()), false);
      field(sb, "quota_violations", Long.toString(r.quotaViolations()), false);
      field(sb, "pool_kernels_created", Long.toString(r.poolKernelsCreated()), false);
      if (bound.isPresent()) {
        field(sb, "bound_idle_kernel_hours", number(bound.get().boundIdleHours(r)), false);
        double ratio = bound.get().ratio(r);
        field(sb, "vs_bound", Double.isFinite(ratio) ? number(ratio) : "null", false);
      }
      sb.append('}');
    }
    sb.append("\n]");
    bound.ifPresent(b -> sb.append(", \"bound_source\": \"").append(b.source()).append('"'));
    return sb.append("}\n").toString();
  }

  private static void field(StringBuilder sb, String key, String value, boolean first) {
    if (!first) {
      sb.append(", ");
    }
    sb.append('"').append(key).append("\": ").append(value);
  }

  static String number(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
