package dev.kernelpool.core.forecast;

import dev.kernelpool.core.snapshot.KernelspecPopularity;
import dev.kernelpool.core.snapshot.LaunchHistory;
import dev.kernelpool.core.snapshot.LaunchSeries;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Ranks profiles by forecast demand, highest first. Ties are broken by the profile's canonical
 * text, so a ranking never depends on iteration order.
 */
public final class ProfileRanking {
  private static final Comparator<RankedProfile> ORDER =
      Comparator.comparingDouble(RankedProfile::expectedLaunches)
          .reversed()
          .thenComparing(r -> r.profile().kernelspec())
          .thenComparing(r -> r.profile().image())
          .thenComparing(r -> r.profile().canonical());

  private record Popular(RankedProfile ranked, long launches) {}

  private static final Comparator<Popular> BY_POPULARITY =
      Comparator.comparingDouble((Popular p) -> p.ranked().expectedLaunches())
          .reversed()
          .thenComparing(Comparator.comparingLong(Popular::launches).reversed())
          .thenComparing(Popular::ranked, ORDER);

  private final DemandForecaster forecaster;
  private final Duration horizon;
  private final double hoursPerHorizon;

  public ProfileRanking(DemandForecaster forecaster, Duration horizon) {
    if (horizon.isNegative() || horizon.isZero()) {
      throw new IllegalArgumentException("demand horizon must be positive, got " + horizon);
    }
    this.forecaster = forecaster;
    this.horizon = horizon;
    this.hoursPerHorizon = horizon.toMillis() / 3_600_000.0;
  }

  /** The candidates ranked by forecast demand, highest first. */
  public List<RankedProfile> rank(
      Collection<PoolProfile> candidates, LaunchHistory history, Instant now) {
    List<Candidate> withSeries = new ArrayList<>(candidates.size());
    for (PoolProfile p : candidates) {
      withSeries.add(new Candidate(p, history.of(p)));
    }
    return rank(withSeries, now);
  }

  /** A profile to rank, with its launches. */
  public record Candidate(PoolProfile profile, LaunchSeries series) {}

  /** The candidates ranked by forecast demand, highest first. */
  public List<RankedProfile> rank(List<Candidate> candidates, Instant now) {
    return rank(candidates, now, KernelspecPopularity.NONE);
  }

  /**
   * The candidates ranked by forecast demand, highest first; equal forecasts by how often their
   * kernelspec is launched across the cluster, most first, then by name.
   */
  public List<RankedProfile> rank(List<Candidate> candidates, Instant now, KernelspecPopularity popularity) {
    List<RankedProfile> ranked = new ArrayList<>(candidates.size());
    for (Candidate c : candidates) {
      PoolProfile p = c.profile();
      double expected = forecaster.expectedLaunches(c.series(), now, horizon, popularity);
      if (!(expected >= 0) || Double.isInfinite(expected)) {
        throw new IllegalStateException(
            "forecaster " + forecaster.name() + " returned " + expected + " for " + p.canonical());
      }
      ranked.add(new RankedProfile(p, expected, expected / hoursPerHorizon));
    }
    if (popularity.launches().isEmpty() || ranked.size() < 2) {
      ranked.sort(ORDER);
      return ranked;
    }
    List<Popular> keyed = new ArrayList<>(ranked.size());
    for (RankedProfile r : ranked) {
      keyed.add(new Popular(r, popularity.of(r.profile().kernelspec())));
    }
    keyed.sort(BY_POPULARITY);
    ranked.clear();
    keyed.forEach(k -> ranked.add(k.ranked()));
    return ranked;
  }
}
