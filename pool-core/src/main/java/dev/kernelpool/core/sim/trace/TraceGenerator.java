package dev.kernelpool.core.sim.trace;

import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.sim.bound.OnlineBound;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;
import java.util.function.LongToDoubleFunction;

/**
 * Generates synthetic traces. Arrivals per namespace and kernelspec are a Poisson process whose rate
 * follows the scenario's shape (office hours, weekends, a class burst), drawn by thinning with a
 * seeded generator: the same scenario and seed always give the same trace.
 */
public final class TraceGenerator {
  /** Monday 2026-01-05 00:00 UTC: every trace starts here. */
  public static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;

  private record Spec(String name, long cpuMilli, long memoryMilli, double weight) {}

  private static final Spec[] SPECS = {
    new Spec("python3", 1000, gib(2), 0.6), new Spec("ir", 1000, gib(2), 0.25), new Spec("spark", 2000, gib(8), 0.15)
  };

  private static long gib(long n) {
    return n * 1024 * 1024 * 1024 * 1000;
  }

  private final SplittableRandom random;
  private final int scale;

  public TraceGenerator(long seed) {
    this(seed, 1);
  }

  /**
   * @param scale a platform this many times larger: every namespace has this many times the users,
   *     so this many times the launches and the quota
   */
  public TraceGenerator(long seed, int scale) {
    if (scale < 1 || scale > 1000) {
      throw new IllegalArgumentException("scale must be 1..1000, got " + scale);
    }
    this.random = new SplittableRandom(seed);
    this.scale = scale;
  }

  public Scenario.Generated generate(Scenario scenario) {
    return switch (scenario) {
      case CLASS -> classes(5, false, day -> 10);
      case HOLIDAY -> holiday();
      case CLASS_MOVED -> classes(12, true, day -> day >= 7 ? 14 : 10);
      case CLASS_CANCELLED -> classes(12, true, day -> day == 7 || day == 8 ? -1 : 10);
      case KERNELSPEC_TAKEOVER -> takeover();
      case QUOTA_SHRINK -> quotaShrink();
      default -> namespaces(load(scenario));
    };
  }

  /**
   * The least idle kernel-hours any policy without foresight could pay on {@code scenario}'s launch
   * rates (this generator's scale): see {@link OnlineBound}. Rates are taken per 5 minutes.
   */
  public OnlineBound onlineBound(Scenario scenario) {
    return onlineBound(scenario, 0);
  }

  /** {@link #onlineBound(Scenario)} over the days after the first {@code skipDays} (a simulation's warmup). */
  public OnlineBound onlineBound(Scenario scenario, int skipDays) {
    if (!hasRateBound(scenario)) {
      throw new IllegalArgumentException("scenario " + scenario.id() + " has no bound from true rates: take one from its trace (TraceRates)");
    }
    List<double[]> stretches = new ArrayList<>();
    if (scenario == Scenario.CLASS) {
      // 300 notebooks in two minutes each weekday, and the background.
      int days = Math.max(0, 5 - skipDays);
      stretches.add(new double[] {300.0 * scale * 30, days * 2 / 60.0});
      addStretches(stretches, 3.0 * scale, skipDays, 5, false);
    } else {
      Load load = load(scenario);
      for (int n = 0; n < load.count(); n++) {
        for (Spec spec : SPECS) {
          addStretches(stretches, load.peakPerHour() * scale * share(load, n) * spec.weight(), skipDays, load.days(), load.weekends());
        }
      }
    }
    return OnlineBound.of(stretches);
  }

  /** Whether {@link #onlineBound} knows the scenario's true rates (the robustness scenarios' are taken from their traces). */
  public static boolean hasRateBound(Scenario scenario) {
    return switch (scenario) {
      case DIURNAL, WEEKLY, CLASS, LONG_TAIL, NEAR_QUOTA, LARGE -> true;
      default -> false;
    };
  }

  /** One profile's rate per 5 minutes of the day, merged over the days of each kind. */
  private static void addStretches(List<double[]> out, double peakPerHour, int fromDay, int days, boolean weekends) {
    int weekendDays = 0;
    for (int d = fromDay; d < days; d++) {
      if (weekends && (d % 7 == 5 || d % 7 == 6)) {
        weekendDays++;
      }
    }
    int weekdays = Math.max(0, days - fromDay) - weekendDays;
    long slot = 5 * 60_000L;
    for (long t = slot / 2; t < DAY; t += slot) {
      out.add(new double[] {rate(t, peakPerHour, false), weekdays * slot / (double) HOUR});
      if (weekendDays > 0) {
        out.add(new double[] {rate(5 * DAY + t, peakPerHour, true), weekendDays * slot / (double) HOUR});
      }
    }
  }

  /**
   * A scenario of many namespaces.
   *
   * @param peakPerHour launches per hour per namespace at the busiest time of a weekday
   * @param skew how unequal namespaces are (the busiest is this many times the quietest)
   */
  private record Load(int count, int days, double peakPerHour, double skew, boolean weekends, Resources quota, int meanMinutes) {}

  private static Load load(Scenario scenario) {
    return switch (scenario) {
      case DIURNAL -> new Load(20, 5, 12.0, 30, false, Resources.parse("cpu=200,memory=800Gi,pods=300"), 45);
      case WEEKLY -> new Load(50, 14, 10.0, 40, true, Resources.parse("cpu=200,memory=800Gi,pods=300"), 45);
      case LONG_TAIL -> new Load(1000, 7, 0.08, 1, true, Resources.parse("cpu=4,memory=16Gi,pods=10"), 40);
      case NEAR_QUOTA -> new Load(1, 5, 40.0, 1, false, Resources.parse("cpu=60,memory=240Gi,pods=80"), 120);
      case LARGE -> new Load(1000, 14, 30.0, 20, true, Resources.parse("cpu=200,memory=800Gi,pods=300"), 40);
      case HOLIDAY -> load(Scenario.WEEKLY);
      case KERNELSPEC_TAKEOVER -> new Load(20, 12, 12.0, 30, true, Resources.parse("cpu=200,memory=800Gi,pods=300"), 45);
      case QUOTA_SHRINK -> new Load(1, 12, 40.0, 1, true, Resources.parse("cpu=60,memory=240Gi,pods=80"), 120);
      default -> throw new IllegalArgumentException("the " + scenario.id() + " scenario is not a load of namespaces");
    };
  }

  /** Namespace n's share of the peak: the busiest 1, the quietest 1/skew. */
  private static double share(Load load, int n) {
    return Math.pow(load.skew(), -(double) n / Math.max(1, load.count() - 1));
  }

  private Scenario.Generated namespaces(Load load) {
    return namespaces(load, t -> 1.0);
  }

  /** {@code load}'s namespaces, their office-hours rates times {@code factor} at each offset into the trace. */
  private Scenario.Generated namespaces(Load load, LongToDoubleFunction factor) {
    List<Launch> launches = new ArrayList<>();
    Map<String, Resources> quotas = new LinkedHashMap<>();
    for (int n = 0; n < load.count(); n++) {
      String ns = String.format("ns-%04d", n);
      quotas.put(ns, load.quota().times(scale));
      for (Spec spec : SPECS) {
        double peak = load.peakPerHour() * scale * share(load, n) * spec.weight();
        arrivals(launches, ns, spec, load.days(), peak, t -> rate(t, peak, load.weekends()) * factor.applyAsDouble(t), load.meanMinutes());
      }
    }
    return sorted(launches, quotas, List.of());
  }

  private void arrivals(List<Launch> out, String ns, Spec spec, int days, double peakPerHour, boolean weekends, int meanMinutes) {
    arrivals(out, ns, spec, days, peakPerHour, t -> rate(t, peakPerHour, weekends), meanMinutes);
  }

  /** Launches per hour at an offset into the trace; never above the peak. */
  private interface Shape {
    double perHour(long t);
  }

  private void arrivals(List<Launch> out, String ns, Spec spec, int days, double peakPerHour, Shape shape, int meanMinutes) {
    double maxPerMs = peakPerHour / HOUR;
    if (maxPerMs <= 0) {
      return;
    }
    long end = (long) days * DAY;
    double t = 0;
    while (true) {
      t += -Math.log(1 - random.nextDouble()) / maxPerMs;
      if (t >= end) {
        return;
      }
      if (random.nextDouble() * maxPerMs <= shape.perHour((long) t) / HOUR) {
        out.add(launch((long) t, ns, spec, meanMinutes));
      }
    }
  }

  /** Launches per hour at offset {@code t}: office hours on weekdays, a tenth at night, a fifth on weekends. */
  private static double rate(long t, double peak, boolean weekends) {
    long day = t / DAY;
    double hour = (t % DAY) / (double) HOUR;
    double shape = hour < 7 || hour > 20 ? 0.1 : 0.1 + 0.9 * Math.sin(Math.PI * (hour - 7) / 13);
    boolean weekend = weekends && (day % 7 == 5 || day % 7 == 6);
    return peak * shape * (weekend ? 0.2 : 1.0);
  }

  private Launch launch(long offset, String ns, Spec spec, int meanMinutes) {
    long duration = Math.max(300, (long) (-Math.log(1 - random.nextDouble()) * meanMinutes * 60));
    return new Launch(START.toEpochMilli() + offset, ns, spec.name(), spec.cpuMilli(), spec.memoryMilli(), duration);
  }

  /** Weekly, with the second week's weekdays a holiday: as quiet as a weekend. */
  private Scenario.Generated holiday() {
    return namespaces(load(Scenario.HOLIDAY), t -> {
      long day = t / DAY;
      return day >= 7 && day <= 11 ? 0.2 : 1.0;
    });
  }

  /** Diurnal over two weeks with weekends; from day 7 python3's launches go to a new kernelspec, python3-v2. */
  private Scenario.Generated takeover() {
    Scenario.Generated g = namespaces(load(Scenario.KERNELSPEC_TAKEOVER));
    long switchAt = START.toEpochMilli() + 7 * DAY;
    List<Launch> launches = new ArrayList<>(g.launches().size());
    for (Launch l : g.launches()) {
      boolean moved = l.kernelspec().equals("python3") && l.timestampMs() >= switchAt;
      launches.add(moved ? new Launch(l.timestampMs(), l.namespace(), "python3-v2", l.cpuMilli(), l.memoryMilli(), l.durationSeconds()) : l);
    }
    return sorted(launches, g.quotas(), List.of());
  }

  /** Near-quota over two weeks with weekends; on day 2 at noon the quota shrinks to 60%. */
  private Scenario.Generated quotaShrink() {
    Scenario.Generated g = namespaces(load(Scenario.QUOTA_SHRINK));
    String ns = g.quotas().keySet().iterator().next();
    Resources shrunk = Resources.parse("cpu=36,memory=144Gi,pods=48").times(scale);
    return new Scenario.Generated(g.launches(), g.quotas(), List.of(new QuotaChange(START.toEpochMilli() + 2 * DAY + 12 * HOUR, ns, shrunk)));
  }

  /**
   * The class on the weekdays of {@code days}: 300 notebooks within two minutes at
   * {@code hourOf(day)} (negative: no class that day), and the background (with quiet weekends when
   * {@code weekends}).
   */
  private Scenario.Generated classes(int days, boolean weekends, IntUnaryOperator hourOf) {
    List<Launch> launches = new ArrayList<>();
    Spec py = SPECS[0];
    for (int day = 0; day < days; day++) {
      if (day % 7 >= 5 || hourOf.applyAsInt(day) < 0) {
        continue;
      }
      long classStart = day * DAY + hourOf.applyAsInt(day) * HOUR;
      for (int student = 0; student < 300 * scale; student++) {
        long at = classStart + (long) (random.nextDouble() * Duration.ofMinutes(2).toMillis());
        launches.add(new Launch(START.toEpochMilli() + at, "course-101", py.name(), 500, gib(1), 90 * 60));
      }
    }
    List<Launch> background = new ArrayList<>();
    arrivals(background, "course-101", py, days, 3.0 * scale, weekends, 45);
    for (Launch l : background) {
      launches.add(new Launch(l.timestampMs(), l.namespace(), l.kernelspec(), 500, gib(1), l.durationSeconds()));
    }
    return sorted(launches, Map.of("course-101", Resources.parse("cpu=400,memory=800Gi,pods=500").times(scale)), List.of());
  }

  private static Scenario.Generated sorted(List<Launch> launches, Map<String, Resources> quotas, List<QuotaChange> changes) {
    launches.sort(Comparator.comparingLong(Launch::timestampMs).thenComparing(Launch::namespace).thenComparing(Launch::kernelspec));
    return new Scenario.Generated(launches, quotas, changes);
  }
}
