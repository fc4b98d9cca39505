package dev.kernelpool.core.sim;

import java.util.List;

/**
 * What one policy achieved on one trace.
 *
 * @param idleKernelHours pool kernels' time from creation to claim or deletion: what the pool cost
 * @param idleCpuHours the same weighted by each pool kernel's cpu footprint (cores)
 * @param idleMemoryGibHours the same weighted by memory footprint (GiB)
 * @param peakQuotaUse the highest share of any namespace's hard cpu, memory or pods limit in use
 * @param quotaViolations pool kernels created although pool + usage then exceeded 95% of a limit
 * @param hourlyLaunches launches per hour of the trace, for charts
 * @param hourlyPool live pool kernels sampled each hour, for charts
 */
public record SimResult(
    String policy,
    long launches,
    long hits,
    double waitP50Seconds,
    double waitP95Seconds,
    double waitP99Seconds,
    double idleKernelHours,
    double idleCpuHours,
    double idleMemoryGibHours,
    double peakQuotaUse,
    long quotaViolations,
    long poolKernelsCreated,
    List<Integer> hourlyLaunches,
    List<Integer> hourlyPool) {

  public SimResult {
    hourlyLaunches = List.copyOf(hourlyLaunches);
    hourlyPool = List.copyOf(hourlyPool);
  }

  public double hitRate() {
    return launches == 0 ? 0 : (double) hits / launches;
  }
}
