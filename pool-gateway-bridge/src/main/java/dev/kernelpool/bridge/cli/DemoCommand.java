package dev.kernelpool.bridge.cli;

import ch.qos.logback.classic.Level;
import dev.kernelpool.bridge.bench.ClaimBench;
import dev.kernelpool.bridge.config.SidecarConfig;
import dev.kernelpool.bridge.sidecar.Sidecar;
import dev.kernelpool.core.snapshot.MemberState;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the sidecar on the embedded default (local kernels, no cluster), launch kernels through the",
      "launch script as Enterprise Gateway would, cold and warm, run 1+1 on a claimed kernel, print the",
      "figures and exit. Needs Debian's python3-ipykernel and python3-pycryptodome."
    })
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--pool", defaultValue = "2", description = "Warm kernels to keep (default ${DEFAULT-VALUE}).")
  int pool;

  @Option(names = "--claims", defaultValue = "5", description = "Warm claims to measure (default ${DEFAULT-VALUE}).")
  int claims;

  @Option(names = "--cold", defaultValue = "2", description = "Cold launches to measure (default ${DEFAULT-VALUE}).")
  int cold;

  @Mixin PythonOption pythonOption;

  static void quietLogs() {
    if (System.getenv("KERNEL_POOL_LOG_LEVEL") == null) {
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    }
  }

  @Override
  public Integer call() throws Exception {
    quietLogs();
    try (ScratchFolder scratch = ScratchFolder.create("kernel-pool-demo")) {
      return run(scratch);
    }
  }

  private int run(ScratchFolder scratch) throws Exception {
    Path dir = scratch.path();
    SidecarConfig config = SidecarConfig.localPool(dir.resolve("work"), pythonOption.python, pool);
    System.out.printf("kernel-pool demo: starting a sidecar with a pool of %d local python3 kernels%n", pool);
    try (Sidecar sidecar = Sidecar.start(config, Clock.systemUTC())) {
      long start = System.nanoTime();
      while (sidecar.registry().count(MemberState.WARM) < pool) {
        if (System.nanoTime() - start > 120_000_000_000L) {
          System.err.println("kernel-pool demo: the pool did not warm up in 2 minutes; see " + dir.resolve("work"));
          scratch.keep();
          return 1;
        }
        Thread.sleep(50);
      }
      System.out.printf("pool warm after %.1f s (sidecar %s)%n", (System.nanoTime() - start) / 1e9, sidecar.url());
      ClaimBench.Result r = new ClaimBench(sidecar, pool, pythonOption.python, dir, System.out).run(cold, claims);
      System.out.println();
      System.out.println("launch through the launch script, until the kernel answers kernel_info:");
      System.out.printf(Locale.ROOT, "  %-28s %8s %10s%n", "", "launches", "median ms");
      System.out.printf(Locale.ROOT, "  %-28s %8d %10.1f%n", "cold (no pool)", r.cold().count(), r.cold().p50());
      System.out.printf(Locale.ROOT, "  %-28s %8d %10.1f%n", "warm (claimed from the pool)", r.warm().count(), r.warm().p50());
      System.out.printf(Locale.ROOT, "  (of a warm launch, the sidecar's claim took a median %.1f ms)%n", r.sidecarClaim().p50());
      System.out.printf(Locale.ROOT, "  speed-up: %.1fx; 1+1 on a claimed kernel = %s%n", r.cold().p50() / r.warm().p50(), r.onePlusOne());
      System.out.printf("  hits %d, pool kernels started %d%n",
          sidecar.metrics().claims("local", "python3", "hit"),
          sidecar.metrics().startedCount("local", "python3"));
      return r.onePlusOne().equals("2") ? 0 : 1;
    }
  }
}
