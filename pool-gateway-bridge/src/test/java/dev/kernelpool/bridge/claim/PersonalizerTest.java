package dev.kernelpool.bridge.claim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PersonalizerTest {
  @Test
  void valuesTravelAsOneJsonStringLiteral() {
    String code = new Personalizer("print('hi')").code("k-1", Map.of("KERNEL_USERNAME", "x'); import os; os.system('boom"));

    assertThat(code).contains("_kp_json.loads(\"{\\\"KERNEL_ID\\\":\\\"k-1\\\",\\\"KERNEL_USERNAME\\\":\\\"x'); import os; os.system('boom\\\"}\")");
    assertThat(code).endsWith("print('hi')");
    assertThat(code.lines().filter(l -> l.contains("os.system"))).hasSize(1);
  }
}
