package dev.kernelpool.bridge.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kernelpool.bridge.bench.LocalIpykernel;
import dev.kernelpool.bridge.wire.ConnectionInfo;
import dev.kernelpool.bridge.wire.JupyterMessage;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.ZContext;

/** The client against a real ipykernel. */
class KernelClientIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir static Path dir;
  private static LocalIpykernel kernel;
  private static ZContext context;

  @BeforeAll
  static void startKernel() throws Exception {
    context = new ZContext();
    kernel = LocalIpykernel.start(dir);
    try (KernelClient client = client(kernel.connectionInfo())) {
      client.awaitReady(Duration.ofSeconds(30));
    }
  }

  @AfterAll
  static void stopKernel() {
    kernel.close();
    context.close();
  }

  private static KernelClient client(ConnectionInfo info) {
    return new KernelClient(context, info, Clock.systemUTC());
  }

  @Test
  void heartbeatAndKernelInfo() throws Exception {
    try (KernelClient client = client(kernel.connectionInfo())) {
      assertThat(client.heartbeat(TIMEOUT)).isTrue();
      JupyterMessage reply = client.kernelInfo(TIMEOUT);
      assertThat(reply.msgType()).isEqualTo("kernel_info_reply");
      assertThat(reply.content().path("protocol_version").asText()).startsWith("5.");
      assertThat(reply.content().path("language_info").path("name").asText()).isEqualTo("python");
    }
  }

  @Test
  void executesOnePlusOneAndReadsTheResultOnIopub() throws Exception {
    try (KernelClient client = client(kernel.connectionInfo())) {
      client.awaitReady(TIMEOUT);
      ExecuteResult result = client.execute("1+1", false, Map.of(), TIMEOUT);

      assertThat(result.isOk()).isTrue();
      assertThat(result.resultText()).isEqualTo("2");
      assertThat(result.iopub()).extracting(JupyterMessage::msgType).contains("execute_input", "execute_result");
      assertThat(client.rejectedMessages()).isZero();
    }
  }

  @Test
  void silentExecuteReturnsUserExpressionsWithoutOutput() throws Exception {
    try (KernelClient client = client(kernel.connectionInfo())) {
      client.awaitReady(TIMEOUT);
      ExecuteResult result =
          client.execute("import os\nos.environ['KERNEL_USERNAME'] = 'alice'", true,
              Map.of("user", "os.environ['KERNEL_USERNAME']"), TIMEOUT);

      assertThat(result.isOk()).isTrue();
      assertThat(result.userExpressions().path("user").path("data").path("text/plain").asText())
          .isEqualTo("'alice'");
      assertThat(result.iopub()).extracting(JupyterMessage::msgType).doesNotContain("execute_result");
    }
  }

  @Test
  void messagesSignedWithTheWrongKeyGetNoAnswer() throws Exception {
    ConnectionInfo good = kernel.connectionInfo();
    ConnectionInfo wrongKey =
        new ConnectionInfo(good.transport(), good.ip(), good.shellPort(), good.iopubPort(), good.stdinPort(),
            good.controlPort(), good.hbPort(), LocalIpykernel.randomKey(), good.signatureScheme(), "");
    try (KernelClient client = client(wrongKey)) {
      assertThatThrownBy(() -> client.kernelInfo(Duration.ofSeconds(2)))
          .isInstanceOf(KernelTimeoutException.class)
          .hasMessageContaining("kernel_info_request got no answer");
    }
    try (KernelClient client = client(good)) {
      assertThat(client.kernelInfo(TIMEOUT).msgType()).isEqualTo("kernel_info_reply");
    }
  }

  @Test
  void thousandConnectCloseCyclesLeakNoSocketOrThread() throws Exception {
    var threads = ManagementFactory.getThreadMXBean();
    try (KernelClient warm = client(kernel.connectionInfo())) {
      warm.kernelInfo(TIMEOUT);
    }
    int before = threads.getThreadCount();
    for (int i = 0; i < 1000; i++) {
      try (KernelClient c = client(kernel.connectionInfo())) {
        if (i % 100 == 0) {
          assertThat(c.heartbeat(TIMEOUT)).isTrue();
        }
      }
    }
    assertThat(context.getSockets()).isEmpty();
    assertThat(threads.getThreadCount()).isLessThanOrEqualTo(before + 2);
    try (KernelClient c = client(kernel.connectionInfo())) {
      assertThat(c.kernelInfo(TIMEOUT).msgType()).isEqualTo("kernel_info_reply");
    }
  }
}
