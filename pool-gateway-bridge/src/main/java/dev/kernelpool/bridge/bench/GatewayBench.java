package dev.kernelpool.bridge.bench;

import dev.kernelpool.bridge.backend.Scripts;
import dev.kernelpool.bridge.bench.EnterpriseGatewayClient.TimedLaunch;
import dev.kernelpool.bridge.config.SidecarConfig;
import dev.kernelpool.bridge.plugin.PluginPackage;
import dev.kernelpool.bridge.sidecar.Sidecar;
import dev.kernelpool.core.snapshot.MemberState;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cold vs warm launches through the real Enterprise Gateway (distributed mode on this host): EG's
 * {@code 201} to {@code POST /api/kernels}, and start to the first result of {@code 1+1} over EG's
 * websocket. Cold is EG's own {@code python_distributed} kernelspec; warm are the launch script's
 * pooled kernelspec and the process-proxy plugin's, which share one pool. Launches interleave, one
 * cold, one through the script, one through the plugin, each warm one once the pool has refilled.
 */
public final class GatewayBench {
  /** Medians and spreads of one poll interval's launches. */
  public record Result(String pollInterval, Percentiles cold201, Percentiles warm201, Percentiles coldResult,
      Percentiles warmResult, Percentiles plugin201, Percentiles pluginResult, long warmHits) {}

  private final Path egHome;
  private final String python;
  private final Path dir;
  private final PrintStream progress;

  public GatewayBench(Path egHome, String python, Path dir, PrintStream progress) {
    if (!EnterpriseGatewayRunner.usable(egHome)) {
      throw new IllegalArgumentException(egHome + " holds no enterprise_gateway-3.3.0/ and jupyter_client-6.1.12/");
    }
    this.egHome = egHome;
    this.python = python;
    this.dir = dir;
    this.progress = progress;
  }

  /** Runs {@code launches} cold and as many warm launches at EG's poll interval {@code pollInterval} (seconds; empty: EG's default). */
  public Result run(String pollInterval, int launches) throws Exception {
    Path run = Files.createTempDirectory(dir, "eg-");
    SidecarConfig config = SidecarConfig.localPool(run.resolve("work"), python, 2, EnterpriseGatewayRunner.POOLED);
    try (Sidecar sidecar = Sidecar.start(config, Clock.systemUTC())) {
      Path script = Scripts.extract(Scripts.LAUNCH_SCRIPT, run.resolve("scripts"));
      EnterpriseGatewayRunner.writeKernelspecs(run, egHome, script, sidecar.url(), sidecar.tokenFile(), "2");
      Map<String, String> env = new java.util.HashMap<>(Map.of("EG_PORT_RANGE", "10000..19999",
          "PYTHONPATH", PluginPackage.writeFolder(run.resolve("python")).getParent().toString()));
      if (!pollInterval.isEmpty()) {
        env.put("EG_POLL_INTERVAL", pollInterval);
      }
      try (EnterpriseGatewayRunner eg = EnterpriseGatewayRunner.start(egHome, run, run, env)) {
        EnterpriseGatewayClient client = eg.client();
        List<Double> cold201 = new ArrayList<>();
        List<Double> warm201 = new ArrayList<>();
        List<Double> coldResult = new ArrayList<>();
        List<Double> warmResult = new ArrayList<>();
        List<Double> plugin201 = new ArrayList<>();
        List<Double> pluginResult = new ArrayList<>();
        launch(client, EnterpriseGatewayRunner.COLD, cold201, coldResult);  // warms EG's own code paths; not counted
        cold201.clear();
        coldResult.clear();
        for (int i = 0; i < launches; i++) {
          launch(client, EnterpriseGatewayRunner.COLD, cold201, coldResult);
          awaitPool(sidecar);
          launch(client, EnterpriseGatewayRunner.POOLED, warm201, warmResult);
          awaitPool(sidecar);
          launch(client, EnterpriseGatewayRunner.PLUGIN, plugin201, pluginResult);
          progress.printf("  poll %s, launch %d/%d: cold %.0f/%.0f ms, script warm %.0f/%.0f ms, plugin warm %.0f/%.0f ms"
              + " (201 / first result)%n", pollInterval.isEmpty() ? "default" : pollInterval, i + 1, launches, cold201.get(i),
              coldResult.get(i), warm201.get(i), warmResult.get(i), plugin201.get(i), pluginResult.get(i));
        }
        return new Result(pollInterval.isEmpty() ? "0.5 (EG's default)" : pollInterval, Percentiles.of(cold201),
            Percentiles.of(warm201), Percentiles.of(coldResult), Percentiles.of(warmResult), Percentiles.of(plugin201),
            Percentiles.of(pluginResult), sidecar.metrics().claims("local", EnterpriseGatewayRunner.POOLED, "hit"));
      }
    }
  }

  private static void launch(EnterpriseGatewayClient client, String kernelspec, List<Double> created, List<Double> result)
      throws Exception {
    TimedLaunch launch = client.timedLaunch(kernelspec, Map.of("KERNEL_USERNAME", "bench"));
    created.add(launch.createdMillis());
    result.add(launch.firstResultMillis());
    client.delete(launch.kernelId());
  }

  private static void awaitPool(Sidecar sidecar) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (sidecar.registry().count(MemberState.WARM) < 2 || sidecar.registry().count(MemberState.STARTING) > 0) {
      if (System.nanoTime() > until) {
        throw new IllegalStateException("the pool did not refill within 120 s");
      }
      Thread.sleep(10);
    }
  }
}
