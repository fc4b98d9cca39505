package dev.kernelpool.core.sim.report;

import dev.kernelpool.core.sim.SimResult;
import java.util.List;
import java.util.Locale;

/** The results as a plain-text table, one row per policy. */
public final class TableReport {
  private TableReport() {}

  public static String render(List<SimResult> results) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-10s %9s %8s %9s %9s %9s %12s %10s %12s %8s %10s%n",
        "policy", "launches", "hit rate", "wait p50", "wait p95", "wait p99", "idle kern-h", "idle cpu-h",
        "idle GiB-h", "peak q", "95% viol."));
    for (SimResult r : results) {
      sb.append(String.format(Locale.ROOT, "%-10s %9d %7.1f%% %8.1fs %8.1fs %8.1fs %12.1f %10.1f %12.1f %7.1f%% %10d%n",
          r.policy(), r.launches(), 100 * r.hitRate(), r.waitP50Seconds(), r.waitP95Seconds(), r.waitP99Seconds(),
          r.idleKernelHours(), r.idleCpuHours(), r.idleMemoryGibHours(), 100 * r.peakQuotaUse(), r.quotaViolations()));
    }
    return sb.toString();
  }
}
