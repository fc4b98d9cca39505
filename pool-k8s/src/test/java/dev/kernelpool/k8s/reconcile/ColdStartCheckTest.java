package dev.kernelpool.k8s.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1LimitRange;
import io.kubernetes.client.openapi.models.V1LimitRangeItem;
import io.kubernetes.client.openapi.models.V1LimitRangeSpec;
import io.kubernetes.client.openapi.models.V1ResourceQuota;
import io.kubernetes.client.openapi.models.V1ResourceQuotaSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColdStartCheckTest {
  private static V1ResourceQuota quota(String... keys) {
    V1ResourceQuotaSpec spec = new V1ResourceQuotaSpec();
    for (String k : keys) {
      spec.putHardItem(k, Quantity.fromString("10"));
    }
    return new V1ResourceQuota().spec(spec);
  }

  private static V1LimitRange defaults(Map<String, String> request) {
    V1LimitRangeItem item = new V1LimitRangeItem().type("Container");
    request.forEach((k, v) -> item.putDefaultRequestItem(k, Quantity.fromString(v)));
    return new V1LimitRange().spec(new V1LimitRangeSpec().limits(List.of(item)));
  }

  @Test
  void aQuotaOnRequestsWithoutDefaultsRefusesEgsColdPods() {
    assertThat(ColdStartCheck.undefaulted(List.of(quota("requests.cpu", "requests.memory", "pods")), List.of()))
        .containsExactly("cpu", "memory");
    assertThat(ColdStartCheck.undefaulted(List.of(quota("requests.cpu", "memory")), List.of(defaults(Map.of("cpu", "1")))))
        .containsExactly("memory");
    assertThat(ColdStartCheck.undefaulted(List.of(quota("requests.cpu", "requests.memory")),
        List.of(defaults(Map.of("cpu", "1", "memory", "2Gi"))))).isEmpty();
    assertThat(ColdStartCheck.undefaulted(List.of(quota("pods")), List.of())).as("a quota on pods alone admits them").isEmpty();
  }
}
