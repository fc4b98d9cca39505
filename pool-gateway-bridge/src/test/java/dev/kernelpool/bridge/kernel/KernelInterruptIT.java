package dev.kernelpool.bridge.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kernelpool.bridge.bench.LocalIpykernel;
import dev.kernelpool.bridge.wire.JupyterMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.ZContext;

/** Interrupting a running cell, on a kernel of its own: a stray interrupt must not hit other tests. */
class KernelInterruptIT {
  @TempDir Path dir;

  @Test
  void interruptsALongSleep() throws Exception {
    Path started = dir.resolve("sleeping");
    try (ZContext context = new ZContext();
        LocalIpykernel kernel = LocalIpykernel.start(dir);
        KernelClient runner = new KernelClient(context, kernel.connectionInfo(), Clock.systemUTC());
        KernelClient controller = new KernelClient(context, kernel.connectionInfo(), Clock.systemUTC())) {
      runner.awaitReady(Duration.ofSeconds(30));
      long start = System.nanoTime();
      CompletableFuture<ExecuteResult> sleeping =
          CompletableFuture.supplyAsync(() -> {
            try {
              return runner.execute(
                  "import time\nopen(" + pythonString(started.toString()) + ", 'w').close()\ntime.sleep(30)",
                  false, Map.of(), Duration.ofSeconds(25));
            } catch (KernelTimeoutException e) {
              throw new IllegalStateException(e);
            }
          });
      // Interrupt once the cell is inside its sleep, not while the kernel is still setting it up.
      await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(started));
      JupyterMessage reply = controller.interrupt(Duration.ofSeconds(20));
      ExecuteResult result = sleeping.get(20, TimeUnit.SECONDS);

      assertThat(reply.msgType()).isEqualTo("interrupt_reply");
      assertThat(result.status()).isEqualTo("error");
      assertThat(result.reply().content().path("ename").asText()).isEqualTo("KeyboardInterrupt");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(25));
      // ipykernel aborts execute requests that reach it before it has finished aborting after the error
      // (stop_on_error; seen in a busy CI run): the kernel goes on once one is not aborted
      ExecuteResult[] next = new ExecuteResult[1];
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        next[0] = runner.execute("1+1", false, Map.of(), Duration.ofSeconds(20));
        return !next[0].status().equals("aborted");
      });
      assertThat(next[0].resultText()).isEqualTo("2");
    }
  }

  private static String pythonString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
