package dev.kernelpool.bridge.pool;

import dev.kernelpool.bridge.kernel.ExecuteResult;
import dev.kernelpool.bridge.kernel.KernelClient;
import dev.kernelpool.bridge.kernel.KernelTimeoutException;
import java.time.Duration;
import java.util.Map;

/** Readiness of a reported kernel: its first {@code kernel_info} reply, then the profile's warm-up code. */
public final class WarmUp {
  private WarmUp() {}

  /** Throws when the kernel does not answer in time or the warm-up code fails. */
  public static void run(KernelClient client, String code, Duration timeout) throws KernelTimeoutException {
    client.awaitReady(timeout);
    if (!code.isBlank()) {
      ExecuteResult result = client.execute(code, true, Map.of(), timeout);
      if (!result.isOk()) {
        throw new IllegalStateException("warm-up code failed: " + result.reply().content().path("ename").asText());
      }
    }
  }
}
