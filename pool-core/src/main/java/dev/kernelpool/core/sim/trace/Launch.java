package dev.kernelpool.core.sim.trace;

import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.util.Map;

/**
 * One launch request of a trace.
 *
 * @param cpuMilli requested cpu in milli-cores
 * @param memoryMilli requested memory in milli-bytes (as {@link dev.kernelpool.core.resource.Quantity})
 * @param durationSeconds how long the user keeps the kernel
 */
public record Launch(
    long timestampMs, String namespace, String kernelspec, long cpuMilli, long memoryMilli, long durationSeconds) {

  /** The pool profile this launch asks for: namespace, kernelspec, its image, cpu and memory. */
  public PoolProfile profile() {
    return PoolProfile.of(namespace, kernelspec, "sim/" + kernelspec,
        Resources.ofMilli(Map.of("cpu", cpuMilli, "memory", memoryMilli)));
  }
}
