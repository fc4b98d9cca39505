package dev.kernelpool.bridge.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Speaks to a launcher's comm port as EG does: one JSON object per connection, no reply. A
 * refused connection means the kernel is gone.
 */
public final class CommPortClient {
  private final Duration timeout;

  public CommPortClient(Duration timeout) {
    this.timeout = timeout;
  }

  /** Sends {@code {"signum": N}}: 0 polls liveness, 2 interrupts. */
  public void signal(InetSocketAddress commPort, int signum) throws IOException {
    if (signum < 0 || signum > 64) {
      throw new IllegalArgumentException("signal number out of range: " + signum);
    }
    send(commPort, "{\"signum\": " + signum + "}");
  }

  /** Sends {@code {"shutdown": 1}}: stop the listener and the kernel. */
  public void shutdown(InetSocketAddress commPort) throws IOException {
    send(commPort, "{\"shutdown\": 1}");
  }

  private void send(InetSocketAddress commPort, String json) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(commPort, (int) timeout.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(json.getBytes(StandardCharsets.UTF_8));
      out.flush();
      socket.shutdownOutput();
    }
  }
}
