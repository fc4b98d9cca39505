package dev.kernelpool.core.resource;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable vector of named resource amounts in milli-units ({@code cpu}, {@code memory},
 * {@code pods}, {@code nvidia.com/gpu}, {@code limits.cpu}, ...). A vector <em>mentions</em> the
 * names it was built with, even at zero (a quota of {@code cpu: 0} forbids cpu, an absent one does
 * not constrain it); results of arithmetic mention the names of both operands. Equality ignores
 * zero amounts: {@code {cpu=0}} equals the empty vector. Amounts may be negative as results of
 * subtraction; parsed amounts never are.
 */
public final class Resources {
  private static final Resources EMPTY = new Resources(new String[0], new long[0]);

  /** Names sorted ascending, no duplicates. */
  private final String[] names;

  private final long[] amounts;

  /** Cached {@link #hashCode()}; 0 until computed (benign race, as in {@code String}). */
  private int hash;

  private Resources(String[] names, long[] amounts) {
    this.names = names;
    this.amounts = amounts;
  }

  /** The zero vector. */
  public static Resources none() {
    return EMPTY;
  }

  /** A vector with one named amount, in milli-units. */
  public static Resources ofMilli(String name, long milli) {
    return ofMilli(Map.of(name, milli));
  }

  /**
   * A vector from names in strictly ascending order and their amounts, without sorting: for hot
   * paths that build the same few names over and over.
   */
  public static Resources ofSortedMilli(String[] sortedNames, long[] milli) {
    if (sortedNames.length != milli.length) {
      throw new IllegalArgumentException("names and amounts differ in length");
    }
    for (int i = 0; i < sortedNames.length; i++) {
      checkName(sortedNames[i]);
      if (i > 0 && sortedNames[i - 1].compareTo(sortedNames[i]) >= 0) {
        throw new IllegalArgumentException("resource names must be strictly ascending: " + String.join(",", sortedNames));
      }
    }
    return new Resources(sortedNames.clone(), milli.clone());
  }

  /** A vector from amounts in milli-units. */
  public static Resources ofMilli(Map<String, Long> milli) {
    TreeMap<String, Long> sorted = new TreeMap<>();
    milli.forEach(
        (name, amount) -> {
          checkName(name);
          sorted.put(name, amount);
        });
    return fromSorted(sorted);
  }

  /**
   * Parses a map of resource names to Kubernetes quantities, such as {@code {cpu: 500m, memory:
   * 2Gi, nvidia.com/gpu: 1}}.
   *
   * @throws InvalidQuantityException naming the resource whose quantity is malformed
   */
  public static Resources parse(Map<String, String> quantities) {
    TreeMap<String, Long> sorted = new TreeMap<>();
    quantities.forEach(
        (name, text) -> {
          checkName(name);
          long milli;
          try {
            milli = Quantity.parseMilli(text);
          } catch (InvalidQuantityException e) {
            throw new InvalidQuantityException(text, "for resource '" + name + "': " + reasonOf(e));
          }
          sorted.put(name, milli);
        });
    return fromSorted(sorted);
  }

  /** Parses {@code "cpu=500m,memory=1Gi"}; an empty text is the zero vector. */
  public static Resources parse(String commaSeparated) {
    Map<String, String> map = new LinkedHashMap<>();
    if (!commaSeparated.isBlank()) {
      for (String part : commaSeparated.split(",", -1)) {
        int eq = part.indexOf('=');
        if (eq <= 0) {
          throw new InvalidQuantityException(part, "expected name=quantity");
        }
        map.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
      }
    }
    return parse(map);
  }

  private static String reasonOf(InvalidQuantityException e) {
    String message = e.getMessage();
    int colon = message.indexOf("': ");
    return colon < 0 ? message : message.substring(colon + 3);
  }

  private static void checkName(String name) {
    boolean valid = name != null && !name.isEmpty();
    for (int i = 0; valid && i < name.length(); i++) {
      valid = !Character.isWhitespace(name.charAt(i));
    }
    if (!valid) {
      throw new IllegalArgumentException("invalid resource name '" + name + "'");
    }
  }

  private static Resources fromSorted(TreeMap<String, Long> sorted) {
    if (sorted.isEmpty()) {
      return EMPTY;
    }
    String[] n = sorted.keySet().toArray(new String[0]);
    long[] a = new long[n.length];
    for (int i = 0; i < n.length; i++) {
      a[i] = sorted.get(n[i]);
    }
    return new Resources(n, a);
  }

  /** The amount of {@code name} in milli-units; zero when absent. */
  public long milli(String name) {
    int i = Arrays.binarySearch(names, name);
    return i < 0 ? 0 : amounts[i];
  }

  /** Whether this vector mentions {@code name}, possibly with the amount zero. */
  public boolean has(String name) {
    return Arrays.binarySearch(names, name) >= 0;
  }

  /** The names this vector mentions, sorted. */
  public List<String> names() {
    return Collections.unmodifiableList(Arrays.asList(names));
  }

  /** Number of mentioned names. */
  public int size() {
    return names.length;
  }

  /** Name of the i-th mentioned name in sorted order. */
  public String nameAt(int i) {
    return names[i];
  }

  /** Amount of the i-th mentioned name in sorted order. */
  public long milliAt(int i) {
    return amounts[i];
  }

  /** Whether every amount is zero. */
  public boolean isZero() {
    for (long a : amounts) {
      if (a != 0) {
        return false;
      }
    }
    return true;
  }

  /** Whether no amount is negative. */
  public boolean isNonNegative() {
    for (long a : amounts) {
      if (a < 0) {
        return false;
      }
    }
    return true;
  }

  public Resources plus(Resources other) {
    return combine(other, 1, false);
  }

  public Resources minus(Resources other) {
    return combine(other, -1, false);
  }

  /**
   * The smaller amount of each name both vectors mention; a name only one mentions keeps that
   * one's amount (absent means unconstrained, as for limits).
   */
  public Resources minOfMentioned(Resources other) {
    return combine(other, 1, true);
  }

  /** This vector multiplied by {@code factor}. */
  public Resources times(long factor) {
    long[] a = new long[amounts.length];
    for (int i = 0; i < a.length; i++) {
      a[i] = Math.multiplyExact(amounts[i], factor);
    }
    return new Resources(names, a);
  }

  /** The same amounts without the names mentioned at zero. */
  public Resources withoutZeros() {
    int nonZero = 0;
    for (long a : amounts) {
      if (a != 0) {
        nonZero++;
      }
    }
    if (nonZero == names.length) {
      return this;
    }
    String[] n = new String[nonZero];
    long[] a = new long[nonZero];
    int k = 0;
    for (int i = 0; i < names.length; i++) {
      if (amounts[i] != 0) {
        n[k] = names[i];
        a[k++] = amounts[i];
      }
    }
    return new Resources(n, a);
  }

  /** Each amount replaced by {@code max(amount, 0)}. */
  public Resources clampedAtZero() {
    return isNonNegative() ? this : map((name, amount) -> Math.max(amount, 0));
  }

  /** Applies {@code f} to every mentioned amount. */
  public Resources map(AmountFunction f) {
    long[] a = new long[names.length];
    for (int i = 0; i < names.length; i++) {
      a[i] = f.apply(names[i], amounts[i]);
    }
    return new Resources(names, a);
  }

  /** A function of one named amount, for {@link #map}. */
  @FunctionalInterface
  public interface AmountFunction {
    long apply(String name, long milli);
  }

  private Resources combine(Resources other, int sign, boolean min) {
    if (other.names.length == 0) {
      return this;
    }
    if (names.length == 0 && sign == 1) {
      return other;
    }
    String[] n = new String[names.length + other.names.length];
    long[] a = new long[n.length];
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < names.length || j < other.names.length) {
      int cmp;
      if (i == names.length) {
        cmp = 1;
      } else if (j == other.names.length) {
        cmp = -1;
      } else {
        cmp = names[i].compareTo(other.names[j]);
      }
      String name;
      long value;
      if (cmp < 0) {
        name = names[i];
        value = amounts[i++];
      } else if (cmp > 0) {
        name = other.names[j];
        value = Math.multiplyExact(sign, other.amounts[j++]);
      } else {
        name = names[i];
        value =
            min
                ? Math.min(amounts[i++], other.amounts[j++])
                : Math.addExact(amounts[i++], Math.multiplyExact(sign, other.amounts[j++]));
      }
      n[k] = name;
      a[k++] = value;
    }
    return k == n.length ? new Resources(n, a) : new Resources(Arrays.copyOf(n, k), Arrays.copyOf(a, k));
  }

  /** Amounts formatted as Kubernetes quantities, in name order. */
  public Map<String, String> toQuantities() {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      out.put(names[i], Quantity.format(amounts[i]));
    }
    return Collections.unmodifiableMap(out);
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof Resources r)) {
      return false;
    }
    int i = 0;
    int j = 0;
    while (true) {
      while (i < names.length && amounts[i] == 0) {
        i++;
      }
      while (j < r.names.length && r.amounts[j] == 0) {
        j++;
      }
      if (i == names.length || j == r.names.length) {
        return i == names.length && j == r.names.length;
      }
      if (!names[i].equals(r.names[j]) || amounts[i] != r.amounts[j]) {
        return false;
      }
      i++;
      j++;
    }
  }

  @Override
  public int hashCode() {
    int cached = hash;
    if (cached != 0) {
      return cached;
    }
    int h = 1;
    for (int i = 0; i < names.length; i++) {
      if (amounts[i] != 0) {
        h = 31 * h + names[i].hashCode();
        h = 31 * h + Long.hashCode(amounts[i]);
      }
    }
    hash = h;
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(names[i]).append('=');
      long v = amounts[i];
      sb.append(v < 0 ? "-" + Quantity.format(-v) : Quantity.format(v));
    }
    return sb.append('}').toString();
  }
}
