package dev.kernelpool.bridge.claim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kernelpool.bridge.launcher.RsaKeys;
import java.nio.charset.StandardCharsets;
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

  @Test
  void parsesAValidRequest() throws Exception {
    ClaimRequest r = ClaimRequest.parse(body("0c5f-kernel", "10.0.0.5:8877", KEY, "{\"KERNEL_USERNAME\":\"bob\"}"));

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
    assertThatThrownBy(() -> ClaimRequest.parse(body(kernelId.trim(), address.trim(), KEY, env.trim())))
        .isInstanceOf(ClaimRequest.InvalidClaimException.class)
        .hasMessageContaining(message.trim());
  }

  @Test
  void takesTheScriptsTimeoutWhenGivenAndRefusesANonsensicalOne() throws Exception {
    assertThat(ClaimRequest.parse(body("k1", "10.0.0.5:8877", KEY, "{}")).timeoutMillis()).isEmpty();
    String with = new String(body("k1", "10.0.0.5:8877", KEY, "{}"), StandardCharsets.UTF_8);
    assertThat(ClaimRequest.parse(with.replaceFirst("\\{", "{\"timeout_ms\":2000,").getBytes(StandardCharsets.UTF_8))
        .timeoutMillis()).hasValue(2000);
    for (String bad : new String[] {"0", "-5", "1.5", "\"2s\"", "9999999"}) {
      assertThatThrownBy(() -> ClaimRequest.parse(with.replaceFirst("\\{", "{\"timeout_ms\":" + bad + ",").getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(ClaimRequest.InvalidClaimException.class).hasMessageContaining("timeout_ms");
    }
  }

  @Test
  void rejectsAWrongVersionAndABadKey() {
    assertThatThrownBy(() -> ClaimRequest.parse("{\"version\":0}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("unsupported claim version");
    assertThatThrownBy(() -> ClaimRequest.parse(body("k", "1.2.3.4:1", "AAAA", "{}")))
        .hasMessageContaining("public_key: not an RSA public key");
  }
}
