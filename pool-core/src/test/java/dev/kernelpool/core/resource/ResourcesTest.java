package dev.kernelpool.core.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourcesTest {

  @Test
  void parsesAVectorOfQuantitiesIncludingExtendedResources() {
    Resources r = Resources.parse(Map.of("cpu", "500m", "memory", "2Gi", "nvidia.com/gpu", "1"));

    assertThat(r.milli("cpu")).isEqualTo(500);
    assertThat(r.milli("memory")).isEqualTo(2L * 1024 * 1024 * 1024 * 1000);
    assertThat(r.milli("nvidia.com/gpu")).isEqualTo(1000);
    assertThat(r.milli("pods")).isZero();
    assertThat(r.names()).containsExactly("cpu", "memory", "nvidia.com/gpu");
  }

  @Test
  void malformedQuantityNamesTheResource() {
    assertThatThrownBy(() -> Resources.parse(Map.of("memory", "2GB")))
        .isInstanceOf(InvalidQuantityException.class)
        .hasMessageContaining("for resource 'memory'")
        .hasMessageContaining("unknown suffix 'GB'");
  }

  @Test
  void parsesCommaSeparatedText() {
    assertThat(Resources.parse("cpu=1, memory=1Gi"))
        .isEqualTo(Resources.parse(Map.of("cpu", "1", "memory", "1Gi")));
    assertThat(Resources.parse("")).isEqualTo(Resources.none());
    assertThatThrownBy(() -> Resources.parse("cpu")).hasMessageContaining("expected name=quantity");
  }

  @Test
  void addsAndSubtractsOverTheUnionOfNames() {
    Resources a = Resources.parse("cpu=1,memory=1Gi");
    Resources b = Resources.parse("cpu=250m,pods=1");

    assertThat(a.plus(b)).isEqualTo(Resources.parse("cpu=1250m,memory=1Gi,pods=1"));
    assertThat(a.minus(b).milli("pods")).isEqualTo(-1000);
    assertThat(a.minus(b).isNonNegative()).isFalse();
    assertThat(a.minus(b).clampedAtZero()).isEqualTo(Resources.parse("cpu=750m,memory=1Gi"));
    assertThat(b.times(3)).isEqualTo(Resources.parse("cpu=750m,pods=3"));
  }

  @Test
  void equalityIgnoresZerosButMentionedZerosAreKept() {
    Resources zeroCpu = Resources.parse("cpu=0");

    assertThat(zeroCpu).isEqualTo(Resources.none()).hasSameHashCodeAs(Resources.none());
    assertThat(zeroCpu.has("cpu")).isTrue();
    assertThat(zeroCpu.isZero()).isTrue();
    assertThat(Resources.parse("cpu=1").minus(Resources.parse("cpu=1"))).isEqualTo(Resources.none());
  }

  @Test
  void arithmeticOverflowIsAnError() {
    Resources big = Resources.ofMilli("memory", Long.MAX_VALUE);
    assertThatThrownBy(() -> big.plus(big)).isInstanceOf(ArithmeticException.class);
  }

  @Test
  void rejectsBlankResourceNames() {
    assertThatThrownBy(() -> Resources.parse(Map.of(" ", "1")))
        .hasMessageContaining("invalid resource name");
  }

  @Test
  void formatsAsQuantities() {
    Resources r = Resources.parse("cpu=1500m,memory=512Mi");
    assertThat(r.toQuantities()).containsExactly(Map.entry("cpu", "1500m"), Map.entry("memory", "512Mi"));
    assertThat(r.toString()).isEqualTo("{cpu=1500m, memory=512Mi}");
  }
}
