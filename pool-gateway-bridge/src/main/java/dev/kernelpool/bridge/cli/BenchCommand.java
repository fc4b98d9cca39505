package dev.kernelpool.bridge.cli;

import dev.kernelpool.bridge.bench.ClaimBench;
import dev.kernelpool.bridge.bench.Percentiles;
import dev.kernelpool.bridge.bench.WireBench;
import dev.kernelpool.bridge.config.SidecarConfig;
import dev.kernelpool.bridge.sidecar.Sidecar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
      "  claim: a launch through the launch script, cold (pool disabled) and warm (claimed from the pool)"
    })
final class BenchCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "wire|claim", description = "Which benchmark.")
  String which;

  @Option(names = "--cold", defaultValue = "5", description = "Cold starts to measure (default ${DEFAULT-VALUE}).")
  int cold;

  @Option(names = "--warm", defaultValue = "200", description = "Warm samples: round trips or claims (default ${DEFAULT-VALUE}).")
  int warm;

  @Mixin PythonOption pythonOption;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("kernel-pool-bench");
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
      default -> {
        System.err.println("kernel-pool bench: unknown benchmark '" + which + "' (known: wire, claim)");
        return 2;
      }
    }
  }

  private static void row(String name, Percentiles p) {
    System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f |%n", name, p.count(), p.p50(), p.p99(), p.min(), p.max());
  }
}
