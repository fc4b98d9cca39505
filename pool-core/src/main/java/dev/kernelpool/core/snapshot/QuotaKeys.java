package dev.kernelpool.core.snapshot;

import dev.kernelpool.core.resource.InvalidQuantityException;
import dev.kernelpool.core.resource.Quantity;
import dev.kernelpool.core.resource.Resources;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maps ResourceQuota keys onto the names pool arithmetic uses: {@code requests.cpu} and {@code
 * cpu} are both {@code cpu}, {@code requests.nvidia.com/gpu} is {@code nvidia.com/gpu}, {@code
 * limits.*} keep their prefix, {@code count/pods} is {@code pods}. Keys that never constrain a
 * pool pod (storage, other object counts) are dropped.
 */
public final class QuotaKeys {
  private QuotaKeys() {}

  /** The normalized name, or {@code null} when the key does not constrain pool pods. */
  public static String normalize(String key) {
    if (key.equals("count/pods")) {
      return "pods";
    }
    String name = key.startsWith("requests.") ? key.substring("requests.".length()) : key;
    boolean objectCount =
        name.startsWith("count/")
            || name.startsWith("services")
            || name.equals("configmaps")
            || name.equals("secrets")
            || name.equals("persistentvolumeclaims")
            || name.equals("replicationcontrollers")
            || name.equals("resourcequotas");
    boolean storage = name.equals("storage") || name.endsWith(".storage") || name.contains("storageclass");
    return objectCount || storage ? null : name;
  }

  /**
   * Parses quota quantities keyed by ResourceQuota keys into normalized resources. Where two keys
   * normalize to one name ({@code cpu} and {@code requests.cpu}), the smaller amount holds.
   */
  public static Resources parse(Map<String, String> quotaQuantities) {
    Map<String, Long> normalized = new TreeMap<>();
    quotaQuantities.forEach(
        (key, value) -> {
          String name = normalize(key);
          if (name != null) {
            long milli;
            try {
              milli = Quantity.parseMilli(value);
            } catch (InvalidQuantityException e) {
              throw new InvalidQuantityException(value, "for quota key '" + key + "'");
            }
            normalized.merge(name, milli, Math::min);
          }
        });
    return Resources.ofMilli(normalized);
  }
}
