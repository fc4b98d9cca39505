package dev.kernelpool.core.resource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;

/**
 * Parses and formats Kubernetes quantities. A quantity is held as a {@code long} count of
 * thousandths of its unit ("milli-units"): {@code 500m} cpu is 500, {@code 1} cpu is 1000,
 * {@code 1Ki} of memory is 1,024,000. Parsing is exact; a value finer than one milli-unit is
 * rounded up, as Kubernetes does when it reads a quantity as a milli-value.
 */
public final class Quantity {
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
  private static final int MAX_EXPONENT = 30;
  private static final Map<String, BigDecimal> SUFFIXES =
      Map.ofEntries(
          Map.entry("", BigDecimal.ONE),
          Map.entry("n", new BigDecimal("1e-9")),
          Map.entry("u", new BigDecimal("1e-6")),
          Map.entry("m", new BigDecimal("1e-3")),
          Map.entry("k", new BigDecimal("1e3")),
          Map.entry("M", new BigDecimal("1e6")),
          Map.entry("G", new BigDecimal("1e9")),
          Map.entry("T", new BigDecimal("1e12")),
          Map.entry("P", new BigDecimal("1e15")),
          Map.entry("E", new BigDecimal("1e18")),
          Map.entry("Ki", new BigDecimal(BigInteger.TWO.pow(10))),
          Map.entry("Mi", new BigDecimal(BigInteger.TWO.pow(20))),
          Map.entry("Gi", new BigDecimal(BigInteger.TWO.pow(30))),
          Map.entry("Ti", new BigDecimal(BigInteger.TWO.pow(40))),
          Map.entry("Pi", new BigDecimal(BigInteger.TWO.pow(50))),
          Map.entry("Ei", new BigDecimal(BigInteger.TWO.pow(60))));
  private static final String[] BINARY = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

  private Quantity() {}

  /**
   * Parses a quantity into milli-units.
   *
   * @throws InvalidQuantityException if the text is not a non-negative Kubernetes quantity or
   *     does not fit in a {@code long} of milli-units
   */
  public static long parseMilli(String text) {
    if (text == null || text.isEmpty()) {
      throw new InvalidQuantityException(String.valueOf(text), "it is empty");
    }
    int i = 0;
    if (text.charAt(0) == '+' || text.charAt(0) == '-') {
      if (text.charAt(0) == '-') {
        throw new InvalidQuantityException(text, "resource quantities must not be negative");
      }
      i++;
    }
    int numberStart = i;
    int digits = 0;
    boolean dot = false;
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c == '.' && !dot) {
        dot = true;
      } else {
        break;
      }
    }
    if (digits == 0) {
      throw new InvalidQuantityException(text, "it does not start with a number");
    }
    BigDecimal number = new BigDecimal(text.substring(numberStart, i));
    BigDecimal multiplier = multiplier(text, text.substring(i));
    BigDecimal milli = number.multiply(multiplier).multiply(THOUSAND);
    try {
      return milli.setScale(0, RoundingMode.CEILING).longValueExact();
    } catch (ArithmeticException e) {
      throw new InvalidQuantityException(text, "it is too large");
    }
  }

  private static BigDecimal multiplier(String text, String suffix) {
    BigDecimal known = SUFFIXES.get(suffix);
    if (known != null) {
      return known;
    }
    if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
      String exponent = suffix.substring(1);
      if (exponent.matches("[+-]?[0-9]{1,3}")) {
        int e = Integer.parseInt(exponent);
        if (Math.abs(e) > MAX_EXPONENT) {
          throw new InvalidQuantityException(text, "its exponent is out of range");
        }
        return BigDecimal.ONE.scaleByPowerOfTen(e);
      }
    }
    throw new InvalidQuantityException(
        text, "unknown suffix '" + suffix + "' (use n, u, m, k, M, G, T, P, E, Ki..Ei or eN)");
  }

  /**
   * Formats milli-units as a canonical quantity: {@code 500m}, {@code 2}, {@code 2Gi} (binary
   * suffixes only where exact and at least 1Ki).
   */
  public static String format(long milli) {
    if (milli % 1000 != 0) {
      return milli + "m";
    }
    long units = milli / 1000;
    if (units == 0) {
      return "0";
    }
    String suffix = "";
    for (int k = 0; k < BINARY.length && units % 1024 == 0; k++) {
      units /= 1024;
      suffix = BINARY[k];
    }
    return units + suffix;
  }
}
