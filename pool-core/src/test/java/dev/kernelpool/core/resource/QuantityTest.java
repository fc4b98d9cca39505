package dev.kernelpool.core.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantityTest {

  @ParameterizedTest(name = "{0} = {1} milli")
  @CsvSource({
    "500m, 500",
    "1, 1000",
    "1.5, 1500",
    "0.1, 100",
    ".5, 500",
    "+2, 2000",
    "0, 0",
    "2Gi, 2147483648000",
    "1Ki, 1024000",
    "100M, 100000000000",
    "1k, 1000000",
    "1e3, 1000000",
    "1E3, 1000000",
    "1e-3, 1",
    "1.5e2, 150000",
    "1E, 1000000000000000000000",
    "250u, 1",
    "1n, 1",
    "1500000000n, 1500",
    "1500000n, 2",
    "1.5Gi, 1610612736000",
  })
  void parsesKubernetesQuantities(String text, String milli) {
    if (milli.length() > 18) {
      assertThatThrownBy(() -> Quantity.parseMilli(text))
          .isInstanceOf(InvalidQuantityException.class)
          .hasMessageContaining("too large");
    } else {
      assertThat(Quantity.parseMilli(text)).isEqualTo(Long.parseLong(milli));
    }
  }

  @ParameterizedTest(name = "rejects \"{0}\"")
  @ValueSource(
      strings = {
        "", "-1", "abc", "1.5.2", "Gi", "1 Gi", " 1", "1gi", "1KiB", "1e", "1e+", "1e999", "1.2.3Mi",
        "--1", "1m2", "0x10", "NaN", "Infinity", "1,5"
      })
  void rejectsMalformedQuantitiesWithClearMessage(String text) {
    assertThatThrownBy(() -> Quantity.parseMilli(text))
        .isInstanceOf(InvalidQuantityException.class)
        .hasMessageStartingWith("invalid quantity '" + text + "'");
  }

  @ParameterizedTest(name = "{0} formats as {1}")
  @CsvSource({"500, 500m", "1000, 1", "2147483648000, 2Gi", "1024000, 1Ki", "1536000, 1536", "0, 0"})
  void formatsCanonically(long milli, String text) {
    assertThat(Quantity.format(milli)).isEqualTo(text);
    assertThat(Quantity.parseMilli(text)).isEqualTo(milli);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "-500m"})
  void negativeQuantitiesAreRejectedAsNegative(String text) {
    assertThatThrownBy(() -> Quantity.parseMilli(text)).hasMessageContaining("must not be negative");
  }
}
