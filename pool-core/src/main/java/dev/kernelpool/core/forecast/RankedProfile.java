package dev.kernelpool.core.forecast;

import dev.kernelpool.core.snapshot.PoolProfile;
import java.util.Objects;

/**
 * A profile with its forecast.
 *
 * @param expectedLaunches launches expected within the planning horizon
 * @param launchesPerHour the same forecast as an hourly rate
 */
public record RankedProfile(PoolProfile profile, double expectedLaunches, double launchesPerHour) {
  public RankedProfile {
    Objects.requireNonNull(profile, "profile");
    if (!(expectedLaunches >= 0) || !(launchesPerHour >= 0)) {
      throw new IllegalArgumentException("forecasts must be non-negative numbers");
    }
  }
}
