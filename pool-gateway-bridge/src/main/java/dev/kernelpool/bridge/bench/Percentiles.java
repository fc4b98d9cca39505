package dev.kernelpool.bridge.bench;

import java.util.Arrays;
import java.util.List;

/** Nearest-rank percentiles of a sample of durations in milliseconds. */
public record Percentiles(int count, double p50, double p99, double min, double max) {

  public static Percentiles of(List<Double> millis) {
    if (millis.isEmpty()) {
      return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double[] sorted = millis.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    return new Percentiles(sorted.length, rank(sorted, 0.50), rank(sorted, 0.99), sorted[0], sorted[sorted.length - 1]);
  }

  private static double rank(double[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
