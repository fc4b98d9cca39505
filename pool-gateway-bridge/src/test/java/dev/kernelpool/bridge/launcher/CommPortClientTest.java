package dev.kernelpool.bridge.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kernelpool.bridge.bench.FreePorts;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class CommPortClientTest {
  private final CommPortClient client = new CommPortClient(Duration.ofSeconds(2));

  private static CompletableFuture<String> receiveOne(ServerSocket server) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Socket s = server.accept()) {
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  void sendsSignalsAndShutdownAsEgDoes() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());

      CompletableFuture<String> first = receiveOne(server);
      client.signal(at, 2);
      assertThat(first.get()).isEqualTo("{\"signum\": 2}");

      CompletableFuture<String> second = receiveOne(server);
      client.shutdown(at);
      assertThat(second.get()).isEqualTo("{\"shutdown\": 1}");
    }
  }

  @Test
  void aRefusedConnectionMeansTheKernelIsGone() {
    InetSocketAddress nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePorts.take(1)[0]);

    assertThatThrownBy(() -> client.signal(nobody, 0)).isInstanceOf(ConnectException.class);
    assertThatThrownBy(() -> client.signal(nobody, 99)).isInstanceOf(IllegalArgumentException.class);
  }
}
