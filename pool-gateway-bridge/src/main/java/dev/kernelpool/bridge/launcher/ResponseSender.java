package dev.kernelpool.bridge.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;

/**
 * The launcher's side of the response protocol: seals a {@link LauncherResponse} with the
 * receiver's public key and writes it to the response address, then closes.
 */
public final class ResponseSender {
  private final ConnectionInfoCipher cipher;

  public ResponseSender(ConnectionInfoCipher cipher) {
    this.cipher = cipher;
  }

  /** Seals and delivers {@code response}; fails when the receiver cannot be reached in time. */
  public void send(ResponseAddress to, LauncherResponse response, PublicKey receiver, Duration timeout)
      throws IOException {
    deliver(to, cipher.seal(response.toJson(), receiver), timeout);
  }

  /** Writes an already sealed payload (or, in tests, anything) to {@code to}. */
  public static void deliver(ResponseAddress to, String payload, Duration timeout) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(to.socketAddress(), (int) Math.max(1, timeout.toMillis()));
      socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
      OutputStream out = socket.getOutputStream();
      out.write(payload.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      socket.shutdownOutput();
    }
  }
}
