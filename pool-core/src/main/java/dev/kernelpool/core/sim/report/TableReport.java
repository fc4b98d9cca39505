package dev.kernelpool.core.sim.report;

import dev.kernelpool.core.sim.SimResult;
import dev.kernelpool.core.sim.bound.BoundComparison;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The results as a plain-text table, one row per policy. */
public final class TableReport {
  private TableReport() {}

  public static String render(List<SimResult> results) {
    return render(results, Optional.empty());
  }

  /**
   * With a bound: a column {@code vs bound}, each policy's idle kernel-hours over the least any
   * policy without foresight pays at its hit rate, and a line naming the bound's source.
   */
  public static String render(List<SimResult> results, Optional<BoundComparison> bound) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-10s %9s %8s %9s %9s %9s %12s %10s %12s %8s %10s",
        "policy", "launches", "hit rate", "wait p50", "wait p95", "wait p99", "idle kern-h", "idle cpu-h",
        "idle GiB-h", "peak q", "95% viol."));
    bound.ifPresent(b -> sb.append(String.format(Locale.ROOT, " %9s", "vs bound")));
    sb.append('\n');
    for (SimResult r : results) {
      sb.append(String.format(Locale.ROOT, "%-10s %9d %7.1f%% %8.1fs %8.1fs %8.1fs %12.1f %10.1f %12.1f %7.1f%% %10d",
          r.policy(), r.launches(), 100 * r.hitRate(), r.waitP50Seconds(), r.waitP95Seconds(), r.waitP99Seconds(),
          r.idleKernelHours(), r.idleCpuHours(), r.idleMemoryGibHours(), 100 * r.peakQuotaUse(), r.quotaViolations()));
      bound.ifPresent(b -> sb.append(String.format(Locale.ROOT, " %8.2fx", b.ratio(r))));
      sb.append('\n');
    }
    bound.ifPresent(b -> sb.append(String.format(Locale.ROOT,
        "vs bound: idle kernel-hours over the least any policy without foresight pays at that hit rate (rates from the %s)%n",
        b.source())));
    return sb.toString();
  }
}
