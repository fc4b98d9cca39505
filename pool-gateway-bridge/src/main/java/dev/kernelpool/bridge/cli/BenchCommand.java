package dev.kernelpool.bridge.cli;

import dev.kernelpool.bridge.bench.ClaimBench;
import dev.kernelpool.bridge.bench.EnterpriseGatewayRunner;
import dev.kernelpool.bridge.bench.GatewayBench;
import dev.kernelpool.bridge.bench.Percentiles;
import dev.kernelpool.bridge.bench.WireBench;
import dev.kernelpool.bridge.config.SidecarConfig;
import dev.kernelpool.bridge.sidecar.Sidecar;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure on this machine, side by side in one run.",
      "  wire:  cold start of a plain ipykernel (spawn to first kernel_info) and the warm kernel_info round trip",
      "  claim: a launch through the launch script, cold (pool disabled) and warm (claimed from the pool)",
      "  eg:    launches through the real Enterprise Gateway (--eg-home), cold, warm through the launch script and",
      "         warm through the process-proxy plugin, interleaved, at EG's default poll interval and at 0.05 s:",
      "         EG's 201 and start to the first result of 1+1"
    })
final class BenchCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "wire|claim|eg", description = "Which benchmark.")
  String which;

  @Option(names = "--cold", defaultValue = "5", description = "Cold starts to measure (default ${DEFAULT-VALUE}).")
  int cold;

  @Option(names = "--warm", defaultValue = "200", description = "Warm samples: round trips or claims (default ${DEFAULT-VALUE}).")
  int warm;

  @Option(names = "--eg-home", paramLabel = "DIR", description = "eg: a folder with enterprise_gateway-3.3.0/ and jupyter_client-6.1.12/ (default: $KERNEL_POOL_EG_HOME).")
  Path egHome;

  @Option(names = "--launches", defaultValue = "10", description = "eg: cold and warm launches per poll interval (default ${DEFAULT-VALUE}).")
  int launches;

  @Mixin PythonOption pythonOption;

  @Override
  public Integer call() throws Exception {
    try (ScratchFolder scratch = ScratchFolder.create("kernel-pool-bench")) {
      return run(scratch.path());
    }
  }

  private int run(Path dir) throws Exception {
    DemoCommand.quietLogs();
    switch (which) {
      case "wire" -> {
        WireBench.Result r = WireBench.run(pythonOption.python, dir, cold, warm);
        System.out.println("| measurement | n | p50 ms | p99 ms | min ms | max ms |");
        System.out.println("|---|---|---|---|---|---|");
        row("cold start: spawn ipykernel -> first kernel_info reply", r.coldStart());
        row("warm kernel_info round trip (Java client)", r.warmRoundTrip());
        return 0;
      }
      case "claim" -> {
        SidecarConfig config = SidecarConfig.localPool(dir.resolve("work"), pythonOption.python, 3);
        try (Sidecar sidecar = Sidecar.start(config, Clock.systemUTC())) {
          ClaimBench.Result r = new ClaimBench(sidecar, 3, pythonOption.python, dir, System.err).run(cold, warm);
          System.out.println("| launch through the launch script, to first kernel_info | n | p50 ms | p99 ms | min ms | max ms |");
          System.out.println("|---|---|---|---|---|---|");
          row("cold (pool disabled: the launcher starts a kernel)", r.cold());
          row("warm (claimed from the pool)", r.warm());
          row("warm, until EG holds the connection info (the kernel is ready then)", r.warmHandOff());
          row("warm, the sidecar's claim alone (request to connection info delivered)", r.sidecarClaim());
          System.out.printf(Locale.ROOT, "speed-up at p50, to first kernel_info: %.1fx; to hand-off: %.1fx%n",
              r.cold().p50() / r.warm().p50(), r.cold().p50() / r.warmHandOff().p50());
        }
        return 0;
      }
      case "eg" -> {
        Path home = egHome != null ? egHome : System.getenv("KERNEL_POOL_EG_HOME") == null ? null : Path.of(System.getenv("KERNEL_POOL_EG_HOME"));
        if (home == null || !EnterpriseGatewayRunner.usable(home)) {
          System.err.println("kernel-pool bench eg: give --eg-home (or KERNEL_POOL_EG_HOME): a folder with enterprise_gateway-3.3.0/ and jupyter_client-6.1.12/");
          return 2;
        }
        GatewayBench bench = new GatewayBench(home, pythonOption.python, dir, System.err);
        List<GatewayBench.Result> results = List.of(bench.run("", launches), bench.run("0.05", launches));
        System.out.println("| EG_POLL_INTERVAL s | path | n | 201 p50 ms | 201 vs cold | first result p50 ms | first result vs cold |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (GatewayBench.Result r : results) {
          row(r.pollInterval(), "cold (EG's own)", r.cold201(), r.coldResult(), r);
          row(r.pollInterval(), "warm, launch script", r.warm201(), r.warmResult(), r);
          row(r.pollInterval(), "warm, plugin", r.plugin201(), r.pluginResult(), r);
        }
        results.forEach(r -> System.out.printf(Locale.ROOT, "poll %s: %d warm hits of %d warm launches%n", r.pollInterval(),
            r.warmHits(), r.warm201().count() + r.plugin201().count()));
        return 0;
      }
      default -> {
        System.err.println("kernel-pool bench: unknown benchmark '" + which + "' (known: wire, claim, eg)");
        return 2;
      }
    }
  }

  private static void row(String poll, String path, Percentiles created, Percentiles result, GatewayBench.Result r) {
    System.out.printf(Locale.ROOT, "| %s | %s | %d | %.0f | %.1fx faster | %.0f | %.1fx faster |%n", poll, path, created.count(),
        created.p50(), r.cold201().p50() / created.p50(), result.p50(), r.coldResult().p50() / result.p50());
  }

  private static void row(String name, Percentiles p) {
    System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f |%n", name, p.count(), p.p50(), p.p99(), p.min(), p.max());
  }
}
