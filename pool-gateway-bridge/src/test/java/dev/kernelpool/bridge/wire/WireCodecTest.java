package dev.kernelpool.bridge.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireCodecTest {
  private static final String KEY = "a0436f6c-1916-498b-8eb9-e81ab9368e84";
  private static final byte[] HEADER =
      ("{\"msg_id\":\"u-u-i-d\",\"session\":\"s\",\"username\":\"user\",\"date\":\"2026-01-01T00:00:00.000000Z\","
              + "\"msg_type\":\"kernel_info_request\",\"version\":\"5.3\"}")
          .getBytes(StandardCharsets.UTF_8);
  private static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);
  /** Python: hmac.new(KEY, digestmod=sha256) updated with the four frames, hexdigest(). */
  private static final String PYTHON_SIGNATURE =
      "18ac386a124b0a4f664ec3ec4af1d34ef17eaf76e97f7885380292071181fae5";

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<byte[]> frames(String signature, byte[]... rest) {
    List<byte[]> f = new ArrayList<>();
    f.add(b("u-u-i-d"));
    f.add(WireCodec.DELIMITER);
    f.add(b(signature));
    f.addAll(List.of(rest));
    return f;
  }

  @Test
  void signatureMatchesPythonHmacByteForByte() {
    assertThat(MessageSigner.forKey(KEY).sign(HEADER, EMPTY, EMPTY, EMPTY)).isEqualTo(PYTHON_SIGNATURE);
  }

  @Test
  void decodesTheSpecLayoutWithIdentitiesAndBuffers() {
    byte[] buffer = {(byte) 0xf0, (byte) 0x9f, (byte) 0x90, (byte) 0xb1};
    DecodeResult r =
        WireCodec.decode(
            frames(PYTHON_SIGNATURE, HEADER, EMPTY, EMPTY, EMPTY, buffer),
            MessageSigner.forKey(KEY),
            new ReplayGuard(10));

    assertThat(r).isInstanceOf(DecodeResult.Decoded.class);
    DecodeResult.Decoded d = (DecodeResult.Decoded) r;
    assertThat(d.identities()).containsExactly(b("u-u-i-d"));
    assertThat(d.message().header().msgId()).isEqualTo("u-u-i-d");
    assertThat(d.message().msgType()).isEqualTo("kernel_info_request");
    assertThat(d.message().buffers()).containsExactly(buffer);
  }

  @Test
  void encodeThenDecodeRoundTrips() {
    MessageSigner signer = MessageSigner.forKey(KEY);
    ObjectNode content = JsonNodeFactory.instance.objectNode().put("code", "1+1");
    JupyterMessage m =
        new JupyterMessage(
            new MessageHeader("id-1", "s", "u", "2026-01-01T00:00:00Z", "execute_request", "5.3"),
            null, null, content, List.of());

    List<byte[]> encoded = WireCodec.encode(List.of(b("route")), m, signer);
    DecodeResult r = WireCodec.decode(encoded, signer, new ReplayGuard(10));

    assertThat(encoded.get(1)).isEqualTo(WireCodec.DELIMITER);
    assertThat(((DecodeResult.Decoded) r).message().content().path("code").asText()).isEqualTo("1+1");
  }

  @Test
  void rejectsWrongSignatureUnsignedReplayedAndMalformed() {
    MessageSigner signer = MessageSigner.forKey(KEY);
    ReplayGuard guard = new ReplayGuard(10);

    assertThat(reason(WireCodec.decode(frames("00" + PYTHON_SIGNATURE.substring(2), HEADER, EMPTY, EMPTY, EMPTY), signer, guard)))
        .isEqualTo(DecodeResult.Reason.BAD_SIGNATURE);
    assertThat(reason(WireCodec.decode(frames("", HEADER, EMPTY, EMPTY, EMPTY), signer, guard)))
        .isEqualTo(DecodeResult.Reason.UNSIGNED);
    assertThat(WireCodec.decode(frames(PYTHON_SIGNATURE, HEADER, EMPTY, EMPTY, EMPTY), signer, guard))
        .isInstanceOf(DecodeResult.Decoded.class);
    assertThat(reason(WireCodec.decode(frames(PYTHON_SIGNATURE, HEADER, EMPTY, EMPTY, EMPTY), signer, guard)))
        .isEqualTo(DecodeResult.Reason.REPLAYED);
    assertThat(reason(WireCodec.decode(List.of(b("garbage")), signer, guard)))
        .isEqualTo(DecodeResult.Reason.NO_DELIMITER);
    assertThat(reason(WireCodec.decode(frames(PYTHON_SIGNATURE, HEADER), signer, guard)))
        .isEqualTo(DecodeResult.Reason.TOO_FEW_FRAMES);
    MessageSigner unsigned = MessageSigner.forKey("");
    assertThat(reason(WireCodec.decode(frames("", b("not json"), EMPTY, EMPTY, EMPTY), unsigned, guard)))
        .isEqualTo(DecodeResult.Reason.MALFORMED_JSON);
    assertThat(reason(WireCodec.decode(frames("", b("{\"msg_type\":\"x\"}"), EMPTY, EMPTY, EMPTY), unsigned, guard)))
        .isEqualTo(DecodeResult.Reason.MALFORMED_JSON);
  }

  @Test
  void replayHistoryIsBounded() {
    ReplayGuard guard = new ReplayGuard(2);
    assertThat(guard.firstSeen("a")).isTrue();
    assertThat(guard.firstSeen("b")).isTrue();
    assertThat(guard.firstSeen("a")).isFalse();
    assertThat(guard.firstSeen("c")).isTrue();
    assertThat(guard.firstSeen("a")).isTrue();
  }

  private static DecodeResult.Reason reason(DecodeResult r) {
    assertThat(r).isInstanceOf(DecodeResult.Rejected.class);
    return ((DecodeResult.Rejected) r).reason();
  }
}
