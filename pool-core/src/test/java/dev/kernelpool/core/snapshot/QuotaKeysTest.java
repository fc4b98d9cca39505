package dev.kernelpool.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kernelpool.core.resource.Resources;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class QuotaKeysTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      nullValues = "DROP",
      value = {
        "cpu, cpu",
        "requests.cpu, cpu",
        "requests.memory, memory",
        "limits.cpu, limits.cpu",
        "pods, pods",
        "count/pods, pods",
        "requests.nvidia.com/gpu, nvidia.com/gpu",
        "requests.storage, DROP",
        "gold.storageclass.storage.k8s.io/requests.storage, DROP",
        "count/configmaps, DROP",
        "services.loadbalancers, DROP",
        "secrets, DROP",
      })
  void normalizesQuotaKeys(String key, String name) {
    assertThat(QuotaKeys.normalize(key)).isEqualTo(name);
  }

  @Test
  void theStricterOfTwoEquivalentKeysHolds() {
    Resources hard = QuotaKeys.parse(Map.of("cpu", "10", "requests.cpu", "8", "secrets", "10"));
    assertThat(hard).isEqualTo(Resources.parse("cpu=8"));
  }

  @Test
  void aZeroQuotaIsKeptAsAConstraint() {
    assertThat(QuotaKeys.parse(Map.of("requests.nvidia.com/gpu", "0")).has("nvidia.com/gpu")).isTrue();
  }

  @Test
  void malformedQuotaNamesTheKey() {
    assertThatThrownBy(() -> QuotaKeys.parse(Map.of("requests.memory", "lots")))
        .hasMessageContaining("for quota key 'requests.memory'");
  }
}
