package dev.kernelpool.bridge.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ConnectionInfoCipherTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final KeyPair KEYS = RsaKeys.generate(2048, RANDOM);
  private final ConnectionInfoCipher cipher = new ConnectionInfoCipher(RANDOM);
  private final byte[] json = "{\"shell_port\": 1, \"kernel_id\": \"k\"}".getBytes(StandardCharsets.UTF_8);

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void sealThenOpenRoundTrips() throws Exception {
    String payload = cipher.seal(json, KEYS.getPublic());

    assertThat(cipher.open(payload, KEYS.getPrivate())).isEqualTo(json);
    assertThat(new String(Base64.getDecoder().decode(payload), StandardCharsets.UTF_8))
        .contains("\"version\":1", "\"key\":", "\"conn_info\":");
  }

  @Test
  void publicKeyRoundTripsThroughEgsForm() {
    String text = RsaKeys.encode(KEYS.getPublic());

    assertThat(text).doesNotContain("\n", "-----");
    assertThat(RsaKeys.parse(text)).isEqualTo(KEYS.getPublic());
    assertThat(RsaKeys.parse("-----BEGIN PUBLIC KEY-----\n" + text + "\n-----END PUBLIC KEY-----\n"))
        .isEqualTo(KEYS.getPublic());
    assertThatThrownBy(() -> RsaKeys.parse("bm90IGEga2V5")).hasMessageContaining("not an RSA public key");
  }

  @Test
  void rejectsEachKindOfBadPayloadWithItsReason() {
    KeyPair other = RsaKeys.generate(1024, RANDOM);
    String good = cipher.seal(json, KEYS.getPublic());

    assertReason("", PayloadException.Reason.EMPTY);
    assertReason("%%%not base64%%%", PayloadException.Reason.NOT_BASE64);
    assertReason(b64("not json"), PayloadException.Reason.NOT_JSON);
    assertReason(b64("[1,2]"), PayloadException.Reason.NOT_JSON);
    assertReason(b64("{\"key\":\"a\",\"conn_info\":\"b\"}"), PayloadException.Reason.UNSUPPORTED_VERSION);
    assertReason(b64("{\"version\":1,\"conn_info\":\"b\"}"), PayloadException.Reason.NOT_JSON);
    assertReason(cipher.seal(json, other.getPublic()), PayloadException.Reason.WRONG_KEY);
    assertReason(good.substring(0, good.length() / 2), PayloadException.Reason.NOT_JSON);
    String truncatedInfo =
        new String(Base64.getDecoder().decode(good), StandardCharsets.UTF_8).replaceAll("\"conn_info\":\"[^\"]{8}", "\"conn_info\":\"");
    assertReason(b64(truncatedInfo), PayloadException.Reason.BAD_CIPHERTEXT);
  }

  private void assertReason(String payload, PayloadException.Reason reason) {
    assertThatThrownBy(() -> cipher.open(payload, KEYS.getPrivate()))
        .isInstanceOfSatisfying(PayloadException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
