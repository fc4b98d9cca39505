package dev.kernelpool.bridge.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kernelpool.bridge.bench.LocalIpykernel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.ZContext;

class KernelShutdownIT {
  @TempDir Path dir;

  @Test
  void shutdownRequestStopsTheKernel() throws Exception {
    try (ZContext context = new ZContext();
        LocalIpykernel kernel = LocalIpykernel.start(dir);
        KernelClient client = new KernelClient(context, kernel.connectionInfo(), Clock.systemUTC())) {
      client.awaitReady(Duration.ofSeconds(30));

      assertThat(client.shutdown(Duration.ofSeconds(10)).msgType()).isEqualTo("shutdown_reply");
      assertThat(kernel.waitForExit(15)).isTrue();
      assertThat(client.heartbeat(Duration.ofMillis(300))).isFalse();
    }
  }
}
