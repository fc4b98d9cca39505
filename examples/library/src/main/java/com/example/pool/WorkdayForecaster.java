package com.example.pool;

import dev.kernelpool.core.forecast.DemandForecaster;
import dev.kernelpool.core.snapshot.LaunchSeries;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * A team's own rule on top of any forecaster: nobody launches notebooks outside working hours, so
 * the pool expects nothing then (and the planner lets its kernels expire instead of keeping them
 * warm overnight and through the weekend). Within working hours it asks the forecaster it wraps.
 */
public final class WorkdayForecaster implements DemandForecaster {
  private final DemandForecaster workday;
  private final ZoneId zone;
  private final LocalTime opens;
  private final LocalTime closes;

  public WorkdayForecaster(DemandForecaster workday, ZoneId zone, LocalTime opens, LocalTime closes) {
    this.workday = Objects.requireNonNull(workday, "workday");
    this.zone = Objects.requireNonNull(zone, "zone");
    if (!opens.isBefore(closes)) {
      throw new IllegalArgumentException("working hours must open before they close: " + opens + "-" + closes);
    }
    this.opens = opens;
    this.closes = closes;
  }

  @Override
  public String name() {
    return "workday(" + workday.name() + ")";
  }

  @Override
  public double expectedLaunches(LaunchSeries series, Instant now, Duration horizon) {
    return isWorkingTime(now) || isWorkingTime(now.plus(horizon)) ? workday.expectedLaunches(series, now, horizon) : 0;
  }

  boolean isWorkingTime(Instant at) {
    ZonedDateTime t = at.atZone(zone);
    DayOfWeek day = t.getDayOfWeek();
    return day != DayOfWeek.SATURDAY && day != DayOfWeek.SUNDAY
        && !t.toLocalTime().isBefore(opens) && t.toLocalTime().isBefore(closes);
  }
}
