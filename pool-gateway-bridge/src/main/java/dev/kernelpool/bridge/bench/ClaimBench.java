package dev.kernelpool.bridge.bench;

import dev.kernelpool.bridge.kernel.ExecuteResult;
import dev.kernelpool.bridge.kernel.KernelClient;
import dev.kernelpool.bridge.launcher.CommPortClient;
import dev.kernelpool.bridge.launcher.LauncherResponse;
import dev.kernelpool.bridge.sidecar.Sidecar;
import dev.kernelpool.core.snapshot.MemberState;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.zeromq.ZContext;

/**
 * Launches through the launch script as EG would, cold (pool disabled) and warm (a claim), and
 * measures each from the script's start to the kernel's first {@code kernel_info} reply: what a
 * user waits for. Every kernel handed out is shut down through its comm port afterwards.
 */
public final class ClaimBench {
  /**
   * Launch times in milliseconds: until the kernel's first {@code kernel_info} reply on a new
   * connection (cold and warm), until EG holds the connection info (warm: the kernel is ready
   * then), the sidecar's own share (claim request to connection info delivered), and the result of
   * {@code 1+1} on the last warm kernel.
   */
  public record Result(
      Percentiles cold, Percentiles warm, Percentiles warmHandOff, Percentiles sidecarClaim, String onePlusOne) {}

  private static final java.util.regex.Pattern CLAIM_MS = java.util.regex.Pattern.compile("in ([0-9.]+) ms");

  private final Sidecar sidecar;
  private final String python;
  private final Path dir;
  private final PrintStream progress;

  private final int poolSize;

  /**
   * @param poolSize warm claims start only once the pool is back at this size, so a refill's
   *     kernel start never competes with the claim measured (on a cluster it runs on another node)
   */
  public ClaimBench(Sidecar sidecar, int poolSize, String python, Path dir, PrintStream progress) {
    this.poolSize = poolSize;
    this.sidecar = sidecar;
    this.python = python;
    this.dir = dir;
    this.progress = progress;
  }

  public Result run(int coldRuns, int warmRuns) throws Exception {
    List<Double> cold = new ArrayList<>();
    List<Double> warm = new ArrayList<>();
    List<Double> sidecarClaim = new ArrayList<>();
    List<Double> handOff = new ArrayList<>();
    String result = "";
    try (GatewayStandIn eg = new GatewayStandIn(); ZContext context = new ZContext()) {
      for (int i = 0; i < coldRuns; i++) {
        cold.add(launch(eg, context, Map.of("KERNEL_POOL_DISABLED", "1"), false).millis);
        progress.printf("  cold launch %d/%d: %.0f ms%n", i + 1, coldRuns, cold.get(cold.size() - 1));
      }
      for (int i = 0; i < warmRuns; i++) {
        awaitCondition(
            () -> sidecar.registry().count(MemberState.WARM) >= poolSize && sidecar.registry().count(MemberState.STARTING) == 0,
            Duration.ofSeconds(120));
        Launch launch = launch(eg, context, Map.of(), i == warmRuns - 1);
        warm.add(launch.millis);
        handOff.add(launch.handOffMillis);
        if (launch.claimMillis >= 0) {
          sidecarClaim.add(launch.claimMillis);
        }
        if (!launch.onePlusOne.isEmpty()) {
          result = launch.onePlusOne;
        }
        if (i < 5 || i == warmRuns - 1) {
          progress.printf("  warm claim %d/%d: %.1f ms%n", i + 1, warmRuns, launch.millis);
        }
      }
    }
    return new Result(Percentiles.of(cold), Percentiles.of(warm), Percentiles.of(handOff), Percentiles.of(sidecarClaim), result);
  }

  private record Launch(double millis, double handOffMillis, double claimMillis, String onePlusOne) {}

  private Launch launch(GatewayStandIn eg, ZContext context, Map<String, String> extraEnv, boolean runCode)
      throws Exception {
    String kernelId = UUID.randomUUID().toString();
    Map<String, String> env = new java.util.HashMap<>(extraEnv);
    env.put("KERNEL_POOL_URL", sidecar.url());
    env.put("KERNEL_POOL_TOKEN", sidecar.token());
    env.put("KERNEL_USERNAME", "demo");
    long start = System.nanoTime();
    LaunchScriptRunner.Result script = LaunchScriptRunner.run(python, dir, "python3", kernelId, eg, env);
    java.util.regex.Matcher m = CLAIM_MS.matcher(script.stderr());
    double claimMillis = m.find() ? Double.parseDouble(m.group(1)) : -1;
    LauncherResponse r = eg.await(kernelId, Duration.ofSeconds(120));
    double handOffMillis = (System.nanoTime() - start) / 1e6;
    String onePlusOne = "";
    try (KernelClient client = new KernelClient(context, r.connectionInfo(), Clock.systemUTC())) {
      client.kernelInfo(Duration.ofSeconds(60));
      double millis = (System.nanoTime() - start) / 1e6;
      if (runCode) {
        client.awaitReady(Duration.ofSeconds(30));
        ExecuteResult executed = client.execute("1+1", false, Map.of(), Duration.ofSeconds(30));
        onePlusOne = executed.resultText();
      }
      return new Launch(millis, handOffMillis, claimMillis, onePlusOne);
    } finally {
      shutdown(r);
    }
  }

  /** Stops a kernel handed to EG as EG does, through its launcher's comm port; kills it if that fails. */
  public static void shutdown(LauncherResponse r) {
    try {
      new CommPortClient(Duration.ofSeconds(2)).shutdown(new InetSocketAddress(r.connectionInfo().ip(), r.commPort().orElseThrow()));
    } catch (Exception e) {
      r.pid().ifPresent(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }
  }

  private static void awaitCondition(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Object monitor = new Object();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the pool did not refill within " + timeout);
      }
      synchronized (monitor) {
        monitor.wait(20);
      }
    }
  }
}
