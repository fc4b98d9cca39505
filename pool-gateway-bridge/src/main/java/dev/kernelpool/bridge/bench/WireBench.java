package dev.kernelpool.bridge.bench;

import dev.kernelpool.bridge.kernel.KernelClient;
import dev.kernelpool.bridge.kernel.KernelTimeoutException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.zeromq.ZContext;

/**
 * The wire-protocol benchmark: the cold start of a plain ipykernel (spawn to first {@code
 * kernel_info} reply) and the {@code kernel_info} round trip on a warm kernel, side by side in one
 * run on one machine.
 */
public final class WireBench {
  /** The two measurements, in milliseconds. */
  public record Result(Percentiles coldStart, Percentiles warmRoundTrip) {}

  private WireBench() {}

  public static Result run(String python, Path dir, int coldRuns, int warmSamples) throws KernelTimeoutException {
    List<Double> cold = new ArrayList<>();
    List<Double> warm = new ArrayList<>();
    try (ZContext context = new ZContext()) {
      for (int i = 0; i < coldRuns; i++) {
        long start = System.nanoTime();
        try (LocalIpykernel kernel = LocalIpykernel.start(python, dir);
            KernelClient client = new KernelClient(context, kernel.connectionInfo(), Clock.systemUTC())) {
          client.awaitReady(Duration.ofSeconds(60));
          cold.add((System.nanoTime() - start) / 1e6);
          if (i == coldRuns - 1) {
            for (int w = 0; w < Math.min(200, warmSamples); w++) {
              client.kernelInfo(Duration.ofSeconds(10));
            }
            for (int s = 0; s < warmSamples; s++) {
              long t = System.nanoTime();
              client.kernelInfo(Duration.ofSeconds(10));
              warm.add((System.nanoTime() - t) / 1e6);
            }
          }
        }
      }
    }
    return new Result(Percentiles.of(cold), Percentiles.of(warm));
  }
}
