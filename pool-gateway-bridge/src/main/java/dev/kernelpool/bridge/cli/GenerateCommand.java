package dev.kernelpool.bridge.cli;

import dev.kernelpool.core.sim.SimSettings;
import dev.kernelpool.core.sim.bound.OnlineBound;
import dev.kernelpool.core.sim.bound.TraceRates;
import dev.kernelpool.core.sim.trace.BoundFileReader;
import dev.kernelpool.core.sim.trace.QuotaFileReader;
import dev.kernelpool.core.sim.trace.Scenario;
import dev.kernelpool.core.sim.trace.TraceGenerator;
import dev.kernelpool.core.sim.trace.TraceReader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Write a synthetic launch trace (trace.csv), quota file (quotas.csv) and the online bound from its true",
      "rates (bound.csv, for simulate --bound) for a named scenario: diurnal, class, long-tail, near-quota, weekly,",
      "large, and the robustness scenarios holiday, class-moved, class-cancelled, kernelspec-takeover, quota-shrink",
      "(quota-changes.csv). The same scenario and seed give the same files."
    })
final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--scenario", required = true, description = "Scenario name.")
  String scenario;

  @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--scale", defaultValue = "1",
      description = "A platform this many times larger: launches and quotas per namespace times this (default ${DEFAULT-VALUE}).")
  int scale;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for trace.csv and quotas.csv.")
  Path out;

  @Option(names = "--bound-skip-days", defaultValue = "0",
      description = "Leave the first days out of bound.csv, to match simulate --warmup-days (default ${DEFAULT-VALUE}).")
  int boundSkipDays;

  /** The fastest start of the simulator's default model, in hours. */
  private static final double MIN_START_HOURS = SimSettings.DEFAULTS.fastestStart().toMillis() / 3_600_000.0;

  @Override
  public Integer call() throws Exception {
    Scenario s;
    TraceGenerator generator;
    try {
      s = Scenario.byId(scenario);
      generator = new TraceGenerator(seed, scale);
    } catch (IllegalArgumentException e) {
      System.err.println("kernel-pool generate: " + e.getMessage());
      return 2;
    }
    Scenario.Generated g = generator.generate(s);
    Files.createDirectories(out);
    try (Writer w = Files.newBufferedWriter(out.resolve("trace.csv"))) {
      TraceReader.write(g.launches(), w);
    }
    try (Writer w = Files.newBufferedWriter(out.resolve("quotas.csv"))) {
      QuotaFileReader.write(new java.util.TreeMap<>(g.quotas()), w);
    }
    if (!g.quotaChanges().isEmpty()) {
      try (Writer w = Files.newBufferedWriter(out.resolve("quota-changes.csv"))) {
        QuotaFileReader.writeChanges(g.quotaChanges(), w);
      }
    }
    System.err.printf("%s: %d launches over %d namespaces -> %s%s%n", s.id(), g.launches().size(), g.quotas().size(), out,
        g.quotaChanges().isEmpty() ? "" : " (and quota-changes.csv: simulate --quota-changes)");
    OnlineBound bound;
    if (TraceGenerator.hasRateBound(s)) {
      // the bound from the generator's true rates, for simulate --bound
      bound = generator.onlineBound(s, boundSkipDays);
      try (Writer w = Files.newBufferedWriter(out.resolve("bound.csv"))) {
        BoundFileReader.write(bound, w);
      }
    } else {
      // the robustness scenarios break the generator's own rates: their bound comes from the trace
      bound = TraceRates.bound(g.launches(), Duration.ofHours(1));
    }
    System.err.printf("no policy without foresight serves 90%% / 95%% / 99%% of them warm for less than "
        + "%.0f / %.0f / %.0f idle kernel-hours (%d s starts)%n",
        bound.idleKernelHours(0.90, MIN_START_HOURS), bound.idleKernelHours(0.95, MIN_START_HOURS),
        bound.idleKernelHours(0.99, MIN_START_HOURS), SimSettings.DEFAULTS.fastestStart().toSeconds());
    return 0;
  }
}
