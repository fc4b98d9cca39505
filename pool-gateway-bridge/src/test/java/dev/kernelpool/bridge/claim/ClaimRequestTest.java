package dev.kernelpool.bridge.claim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kernelpool.bridge.launcher.RsaKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.security.SecureRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ClaimRequestTest {
  private static final String KEY = RsaKeys.encode(RsaKeys.generate(1024, new SecureRandom()).getPublic());

  private static byte[] body(String kernelId, String address, String key, String env) {
    return ("{\"version\":1,\"kernel_id\":\"" + kernelId + "\",\"kernelspec\":\"python3\",\"response_address\":\""
        + address + "\",\"public_key\":\"" + key + "\",\"env\":" + env + "}").getBytes(StandardCharsets.UTF_8);
  }

  private static final Instant RECEIVED = Instant.parse("2026-11-29T10:00:00Z");

  private static ClaimRequest parse(byte[] body) throws ClaimRequest.InvalidClaimException {
    return ClaimRequest.parse(body, RECEIVED);
  }

  private static byte[] withField(String field) {
    String base = new String(body("k1", "10.0.0.5:8877", KEY, "{}"), StandardCharsets.UTF_8);
    return base.replaceFirst("\\{", "{" + field + ",").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parsesAValidRequest() throws Exception {
    ClaimRequest r = parse(body("0c5f-kernel", "10.0.0.5:8877", KEY, "{\"KERNEL_USERNAME\":\"bob\"}"));

    assertThat(r.kernelId()).isEqualTo("0c5f-kernel");
    assertThat(r.responseAddress().port()).isEqualTo(8877);
    assertThat(r.env()).containsEntry("KERNEL_USERNAME", "bob");
    assertThat(r.toString()).doesNotContain("bob");
  }

  @ParameterizedTest(name = "{3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "../x | 1.2.3.4:1 | {} | kernel_id is not a valid kernel id",
        "k | nohost | {} | response address must be host:port",
        "k | 1.2.3.4:99999 | {} | port out of range",
        "k | 1.2.3.4:1 | {\"PATH\":\"/bin\"} | env entry PATH must be a KERNEL_* name",
        "k | 1.2.3.4:1 | {\"KERNEL_X\":1} | env entry KERNEL_X must be a KERNEL_* name with a string value",
        "k | 1.2.3.4:1 | [] | env must be an object of strings",
      })
  void rejectsBadFieldsNamingThem(String kernelId, String address, String env, String message) {
    assertThatThrownBy(() -> parse(body(kernelId.trim(), address.trim(), KEY, env.trim())))
        .isInstanceOf(ClaimRequest.InvalidClaimException.class)
        .hasMessageContaining(message.trim());
  }

  @Test
  void takesTheScriptsTimeoutWhenGivenAndRefusesANonsensicalOne() throws Exception {
    assertThat(parse(body("k1", "10.0.0.5:8877", KEY, "{}")).deadline()).isEmpty();
    assertThat(parse(withField("\"timeout_ms\":2000")).deadline()).hasValue(RECEIVED.plusMillis(2000));
    for (String bad : new String[] {"0", "-5", "1.5", "\"2s\"", "9999999"}) {
      assertThatThrownBy(() -> parse(withField("\"timeout_ms\":" + bad)))
          .isInstanceOf(ClaimRequest.InvalidClaimException.class).hasMessageContaining("timeout_ms");
    }
  }

  @Test
  void anAbsoluteDeadlineWinsOverATimeoutCountedFromReceipt() throws Exception {
    // The script set its deadline when it sent the request: a sidecar that reads it late must not
    // count the timeout from then (a stalled sidecar once delivered 8 s after a 2 s timeout).
    long sent = RECEIVED.minusSeconds(8).toEpochMilli();
    ClaimRequest r = parse(withField("\"timeout_ms\":2000,\"deadline_ms\":" + (sent + 2000)));

    assertThat(r.deadline()).hasValue(Instant.ofEpochMilli(sent + 2000));
    assertThatThrownBy(() -> parse(withField("\"deadline_ms\":-1"))).hasMessageContaining("deadline_ms");
  }

  @Test
  void takesTheHolderAndTheLaunchEnvironmentAndRefusesBadOnes() throws Exception {
    ClaimRequest r = parse(withField("\"holder_pid\":4242,\"environ\":{\"PATH\":\"/usr/bin\",\"HOME\":\"/home/u\"}"));

    assertThat(r.holderPid()).hasValue(4242);
    assertThat(r.environ()).hasValue(java.util.Map.of("PATH", "/usr/bin", "HOME", "/home/u"));
    assertThat(r.toString()).doesNotContain("/home/u");
    assertThatThrownBy(() -> parse(withField("\"holder_pid\":1"))).hasMessageContaining("holder_pid");
    assertThatThrownBy(() -> parse(withField("\"environ\":{\"A=B\":\"x\"}"))).hasMessageContaining("environ entry");
    assertThatThrownBy(() -> parse(withField("\"environ\":{\"A\":2}"))).hasMessageContaining("environ entry A");
  }

  @Test
  void rejectsAWrongVersionAndABadKey() {
    assertThatThrownBy(() -> parse("{\"version\":0}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("unsupported claim version");
    String valid = new String(body("k1", "10.0.0.5:8877", KEY, "{}"), StandardCharsets.UTF_8);
    for (String bad : new String[] {"\"1\"", "1.9", "1.0"}) {
      assertThatThrownBy(() -> parse(valid.replace("\"version\":1", "\"version\":" + bad).getBytes(StandardCharsets.UTF_8)))
          .hasMessageContaining("unsupported claim version");
    }
    assertThatThrownBy(() -> parse(body("k", "1.2.3.4:1", "AAAA", "{}")))
        .hasMessageContaining("public_key: not an RSA public key");
  }
}
