package dev.kernelpool.bridge.cli;

import dev.kernelpool.bridge.config.ConfigException;
import dev.kernelpool.bridge.config.SidecarConfig;
import dev.kernelpool.core.quota.FootprintRule;
import dev.kernelpool.core.sim.SimResult;
import dev.kernelpool.core.sim.SimSettings;
import dev.kernelpool.core.sim.Simulation;
import dev.kernelpool.core.sim.policy.PlannerPolicy;
import dev.kernelpool.core.sim.policy.Policies;
import dev.kernelpool.core.sim.policy.SimPolicy;
import dev.kernelpool.core.sim.report.HtmlReport;
import dev.kernelpool.core.sim.report.JsonReport;
import dev.kernelpool.core.sim.report.TableReport;
import dev.kernelpool.core.sim.trace.BoundFileReader;
import dev.kernelpool.core.sim.trace.Launch;
import dev.kernelpool.core.sim.trace.QuotaChange;
import dev.kernelpool.core.sim.trace.QuotaFileReader;
import dev.kernelpool.core.sim.trace.TraceFormatException;
import dev.kernelpool.core.sim.trace.TraceReader;
import dev.kernelpool.core.resource.Resources;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import dev.kernelpool.core.sim.bound.BoundComparison;
import dev.kernelpool.core.sim.bound.TraceRates;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = "Replay a launch trace against pool policies on a virtual clock and compare hits, waits and idle cost.")
final class SimulateCommand implements Callable<Integer> {
  @Option(names = "--trace", required = true, description = "CSV: " + TraceReader.HEADER)
  Path trace;

  @Option(names = "--quotas", required = true, description = "CSV: " + QuotaFileReader.HEADER)
  Path quotas;

  @Option(names = "--policy", defaultValue = "none,static,seed,adaptive,oracle", split = ",",
      description = "Policies to compare (default ${DEFAULT-VALUE}).")
  List<String> policies;

  @Option(names = "--json", description = "Print JSON instead of the table.")
  boolean json;

  @Option(names = "--report", paramLabel = "FILE.html", description = "Also write a self-contained HTML report.")
  Path report;

  @Option(names = "--cold-start", defaultValue = "90", description = "Mean cold start in seconds (default ${DEFAULT-VALUE}).")
  long coldStart;

  @Option(names = "--cold-start-spread", defaultValue = "30", description = "Cold start spread in seconds (default ${DEFAULT-VALUE}).")
  long spread;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the start-time draws (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--footprint", paramLabel = "cpu=100m,memory=256Mi",
      description = "What a warm pool kernel requests before its claim (default: cpu=100m,memory=256Mi).")
  String footprint;

  @Option(names = "--quota-changes", paramLabel = "FILE.csv", description = "CSV: " + QuotaFileReader.CHANGES_HEADER
      + " (what generate writes for scenarios whose quota changes).")
  Path quotaChanges;

  @Option(names = "--bound", paramLabel = "bound.csv",
      description = "The online bound to compare with (what generate writes from a scenario's true rates); default: from the trace's own hourly rates.")
  Path boundFile;

  @Option(names = "--max-starting", defaultValue = "20",
      description = "Pool kernels starting at once per namespace, as kubernetes.maxStarting (default ${DEFAULT-VALUE}).")
  int maxStarting;

  @Option(names = "--warmup-days", defaultValue = "0",
      description = "Days at the start of the trace that only build history: not scored, idle counted after them (default ${DEFAULT-VALUE}).")
  int warmupDays;

  @Option(names = "--config", paramLabel = "SIDECAR.yaml",
      description = "Also simulate the policy a sidecar configuration runs, as policy 'config(FORECASTER)'.")
  Path config;

  @Override
  public Integer call() throws Exception {
    List<Launch> launches;
    Map<String, Resources> quotaMap;
    SimSettings settings;
    List<QuotaChange> changes = List.of();
    List<SimPolicy> chosen = new ArrayList<>();
    try (BufferedReader t = Files.newBufferedReader(trace); BufferedReader q = Files.newBufferedReader(quotas)) {
      launches = TraceReader.read(t, trace.toString());
      quotaMap = QuotaFileReader.read(q, quotas.toString());
      if (quotaChanges != null) {
        try (BufferedReader c = Files.newBufferedReader(quotaChanges)) {
          changes = QuotaFileReader.readChanges(c, quotaChanges.toString());
        }
      }
      FootprintRule warm = footprint == null ? FootprintRule.DEFAULTS : new FootprintRule(Resources.parse(footprint));
      if (warmupDays < 0) {
        throw new IllegalArgumentException("--warmup-days must not be negative, got " + warmupDays);
      }
      settings = new SimSettings(Duration.ofSeconds(coldStart), Duration.ofSeconds(spread), SimSettings.DEFAULTS.claimTime(), seed, warm,
          maxStarting, Duration.ofDays(warmupDays));
      for (String p : policies) {
        chosen.add(Policies.byName(p.trim(), settings));
      }
      if (config != null) {
        SidecarConfig c = SidecarConfig.read(config);
        // The sidecar plans on every claim and launch report, and on its resync timer.
        // named after its forecaster, which picks the other keys' defaults: config(shaped) is the default policy
        chosen.add(new PlannerPolicy("config(" + c.forecaster() + ")", c.policy(), c.demandForecaster(),
            Optional.of(c.planningPeriod()), true));
      }
    } catch (TraceFormatException | IllegalArgumentException | ConfigException e) {
      System.err.println("kernel-pool simulate: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      System.err.println("kernel-pool simulate: cannot read " + e.getMessage());
      return 2;
    }
    List<SimResult> results = new ArrayList<>();
    for (SimPolicy policy : chosen) {
      long start = System.nanoTime();
      double[] lastShown = {0};
      SimResult r = new Simulation(launches, quotaMap, changes, settings, policy).run(done -> {
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (elapsed > 3 && done - lastShown[0] >= 0.1) {
          lastShown[0] = done;
          System.err.printf(Locale.ROOT, "  %s: %.0f%% (%.0f s)%n", policy.name(), 100 * done, elapsed);
        }
      });
      System.err.printf(Locale.ROOT, "%s simulated in %.1f s%n", policy.name(), (System.nanoTime() - start) / 1e9);
      results.add(r);
    }
    // how far each policy is from the possible on this very trace: the bound from its own hourly rates
    Optional<BoundComparison> bound;
    if (boundFile != null) {
      try (BufferedReader b = Files.newBufferedReader(boundFile)) {
        bound = Optional.of(new BoundComparison(BoundFileReader.read(b, boundFile.toString()), settings.fastestStart(), "scenario's true rates in " + boundFile));
      } catch (TraceFormatException | IOException e) {
        System.err.println("kernel-pool simulate: cannot read the bound: " + e.getMessage());
        return 2;
      }
    } else {
      // the scored launches only: those after the warmup
      long from = launches.isEmpty() ? 0 : launches.get(0).timestampMs() + settings.warmup().toMillis();
      List<Launch> scored = launches.stream().filter(l -> l.timestampMs() >= from).toList();
      bound = Optional.of(new BoundComparison(TraceRates.bound(scored, Duration.ofHours(1)), settings.fastestStart(), "trace, hourly"));
    }
    System.out.print(json ? JsonReport.render(results, bound) : TableReport.render(results, bound));
    if (report != null) {
      Files.writeString(report, HtmlReport.render("Kernel pool simulation: " + trace.getFileName(), results, bound));
    }
    return 0;
  }
}
