package dev.kernelpool.core.sim.bound;

import dev.kernelpool.core.sim.SimResult;
import java.time.Duration;
import java.util.Objects;

/**
 * How far a simulated policy is from what is possible: its idle kernel-hours over the {@link
 * OnlineBound}'s least idle kernel-hours at the policy's own hit rate (1.0 is the bound itself).
 *
 * @param source where the bound's rates come from ({@code generator} for a generated scenario's
 *     true rates, {@code trace} for rates estimated from the trace itself)
 * @param minStart the fastest a pool kernel starts: one such start is charged per warm launch
 */
public record BoundComparison(OnlineBound bound, Duration minStart, String source) {
  public BoundComparison {
    Objects.requireNonNull(bound, "bound");
    Objects.requireNonNull(minStart, "minStart");
    Objects.requireNonNull(source, "source");
  }

  /** The bound's idle kernel-hours at {@code result}'s hit rate. */
  public double boundIdleHours(SimResult result) {
    return bound.idleKernelHours(result.hitRate(), minStart.toMillis() / 3_600_000.0);
  }

  /** {@code result}'s idle kernel-hours over the bound's at its hit rate; infinite when the bound is 0 and the policy idles. */
  public double ratio(SimResult result) {
    double b = boundIdleHours(result);
    if (b <= 0) {
      return result.idleKernelHours() <= 0 ? 1 : Double.POSITIVE_INFINITY;
    }
    return result.idleKernelHours() / b;
  }
}
