package dev.kernelpool.core.sim.bound;

import java.util.Arrays;
import java.util.List;

/**
 * The least idle kernel-hours any pool policy without foresight pays to serve a share of launches
 * warm, when launches are Poisson with rates the policy knows exactly: the best a forecaster could
 * ever make of the scenario.
 *
 * <p>Poisson launches find a warm kernel as often as one is there (PASTA), and learn nothing from
 * the past about when the next comes. So to serve a share h of the launches warm, a policy must
 * keep at least one warm kernel of a profile for time where launches of it add up to that share:
 * cheapest where rates are highest (a fractional knapsack over stretches of time, busiest first).
 * Each warm launch also took one kernel start, at least {@code minStartHours} of idle time. The sum
 * is a lower bound: it ignores that one warm kernel is often not enough.
 */
public final class OnlineBound {
  private final double[] rates;
  private final double[] hours;
  private final double launches;

  /**
   * @param launchesPerHour per stretch of time of one profile, its launch rate
   * @param hours per stretch, its length: {@code launchesPerHour[i]} holds for {@code hours[i]}
   */
  public OnlineBound(double[] launchesPerHour, double[] hours) {
    if (launchesPerHour.length != hours.length) {
      throw new IllegalArgumentException("one duration per rate");
    }
    Integer[] order = new Integer[launchesPerHour.length];
    for (int i = 0; i < order.length; i++) {
      if (!(launchesPerHour[i] >= 0) || !(hours[i] >= 0)) {
        throw new IllegalArgumentException("rates and durations must be non-negative numbers");
      }
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(launchesPerHour[b], launchesPerHour[a]));
    this.rates = new double[order.length];
    this.hours = new double[order.length];
    double total = 0;
    for (int i = 0; i < order.length; i++) {
      rates[i] = launchesPerHour[order[i]];
      this.hours[i] = hours[order[i]];
      total += rates[i] * this.hours[i];
    }
    this.launches = total;
  }

  /** A bound over {@code stretches}, each {launches per hour, hours}. */
  public static OnlineBound of(List<double[]> stretches) {
    double[] rates = new double[stretches.size()];
    double[] hours = new double[stretches.size()];
    for (int i = 0; i < rates.length; i++) {
      rates[i] = stretches.get(i)[0];
      hours[i] = stretches.get(i)[1];
    }
    return new OnlineBound(rates, hours);
  }

  /** Each stretch's launch rate, busiest first (a copy). */
  public double[] launchesPerHour() {
    return rates.clone();
  }

  /** Each stretch's length in hours, in the order of {@link #launchesPerHour()} (a copy). */
  public double[] hours() {
    return hours.clone();
  }

  /** Expected launches over all stretches. */
  public double expectedLaunches() {
    return launches;
  }

  /** The least idle kernel-hours to serve {@code hitRate} of the launches warm. */
  public double idleKernelHours(double hitRate, double minStartHours) {
    if (!(hitRate >= 0 && hitRate <= 1)) {
      throw new IllegalArgumentException("hit rate must be in [0, 1], got " + hitRate);
    }
    double needed = hitRate * launches;
    double served = 0;
    double warmHours = 0;
    for (int i = 0; i < rates.length && served < needed; i++) {
      double value = rates[i] * hours[i];
      if (served + value <= needed) {
        served += value;
        warmHours += hours[i];
      } else {
        warmHours += (needed - served) / rates[i];
        served = needed;
      }
    }
    return warmHours + needed * minStartHours;
  }
}
