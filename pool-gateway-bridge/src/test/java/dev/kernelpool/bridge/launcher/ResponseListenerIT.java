package dev.kernelpool.bridge.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kernelpool.bridge.bench.LocalIpykernel;
import dev.kernelpool.bridge.wire.ConnectionInfo;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResponseListenerIT {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final List<LauncherResponse> received = new CopyOnWriteArrayList<>();
  private final ConnectionInfoCipher cipher = new ConnectionInfoCipher(RANDOM);
  private KeyPair keys;
  private ResponseListener listener;

  @BeforeEach
  void start() throws Exception {
    keys = RsaKeys.generate(2048, RANDOM);
    listener =
        new ResponseListener(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            keys,
            cipher,
            received::add,
            new ResponseListener.Settings(4096, Duration.ofMillis(800), 4));
  }

  @AfterEach
  void stop() {
    listener.close();
  }

  private static LauncherResponse response(String kernelId) {
    ConnectionInfo info = LocalIpykernel.freeConnectionInfo(LocalIpykernel.randomKey());
    return new LauncherResponse(info, kernelId, OptionalLong.of(7), OptionalLong.of(7), OptionalInt.of(9999));
  }

  private void sendGood(String kernelId) throws Exception {
    new ResponseSender(cipher).send(listener.address(), response(kernelId), RsaKeys.parse(listener.publicKey()), TIMEOUT);
  }

  @Test
  void deliversAPayloadSealedWithItsPublicKey() throws Exception {
    sendGood("kernel-1");

    await().atMost(TIMEOUT).until(() -> received.size() == 1);
    assertThat(received.get(0).kernelId()).isEqualTo("kernel-1");
    assertThat(received.get(0).commPort()).hasValue(9999);
    assertThat(listener.acceptedCount()).isEqualTo(1);
  }

  @Test
  void rejectsBadPayloadsOneByOneAndKeepsServing() throws Exception {
    KeyPair other = RsaKeys.generate(1024, RANDOM);
    String replay = cipher.seal(response("kernel-r").toJson(), keys.getPublic());

    ResponseSender.deliver(listener.address(), "garbage\u0000\u00ff", TIMEOUT);
    ResponseSender.deliver(listener.address(), "", TIMEOUT);
    ResponseSender.deliver(listener.address(), "A".repeat(5000), TIMEOUT);
    ResponseSender.deliver(listener.address(), replay.substring(0, 40), TIMEOUT);
    ResponseSender.deliver(listener.address(), cipher.seal(response("k").toJson(), other.getPublic()), TIMEOUT);
    ResponseSender.deliver(
        listener.address(), cipher.seal("{\"kernel_id\": \"x\"}".getBytes(StandardCharsets.UTF_8), keys.getPublic()), TIMEOUT);
    ResponseSender.deliver(listener.address(), replay, TIMEOUT);
    ResponseSender.deliver(listener.address(), replay, TIMEOUT);
    ResponseSender.deliver(
        listener.address(),
        Base64.getEncoder().encodeToString("{\"version\": 0}".getBytes(StandardCharsets.UTF_8)),
        TIMEOUT);
    sendGood("kernel-after");

    await().atMost(TIMEOUT).until(() -> received.size() == 2);
    await().atMost(TIMEOUT).until(() -> listener.rejectedCount(PayloadException.Reason.REPLAYED) == 1);
    assertThat(received).extracting(LauncherResponse::kernelId).containsExactlyInAnyOrder("kernel-r", "kernel-after");
    assertThat(listener.rejectedCount(PayloadException.Reason.NOT_BASE64)).isEqualTo(1);
    assertThat(listener.rejectedCount(PayloadException.Reason.EMPTY)).isEqualTo(1);
    assertThat(listener.rejectedCount(PayloadException.Reason.TOO_LARGE)).isEqualTo(1);
    assertThat(listener.rejectedCount(PayloadException.Reason.NOT_JSON)).isEqualTo(1);
    assertThat(listener.rejectedCount(PayloadException.Reason.WRONG_KEY)).isEqualTo(1);
    assertThat(listener.rejectedCount(PayloadException.Reason.BAD_CONNECTION_INFO)).isEqualTo(1);
    assertThat(listener.rejectedCount(PayloadException.Reason.UNSUPPORTED_VERSION)).isEqualTo(1);
  }

  @Test
  void aSlowSenderTimesOutWithoutBlockingOthers() throws Exception {
    try (Socket slow = new Socket()) {
      slow.connect(listener.address().socketAddress());
      OutputStream out = slow.getOutputStream();
      out.write("eyJ2ZXJz".getBytes(StandardCharsets.US_ASCII));
      out.flush();

      long start = System.nanoTime();
      sendGood("fast");
      await().atMost(TIMEOUT).until(() -> received.size() == 1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(700));

      await().atMost(TIMEOUT).until(() -> listener.rejectedCount(PayloadException.Reason.TIMEOUT) == 1);
    }
  }
}
