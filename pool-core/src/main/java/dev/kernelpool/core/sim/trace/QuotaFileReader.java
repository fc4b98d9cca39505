package dev.kernelpool.core.sim.trace;

import dev.kernelpool.core.resource.InvalidQuantityException;
import dev.kernelpool.core.resource.Resources;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes quota files: CSV {@code namespace,cpu,memory,pods} of hard limits, and quota
 * change files: CSV {@code timestamp_ms,namespace,cpu,memory,pods}, a namespace's new hard limits
 * from that time on, in time order.
 */
public final class QuotaFileReader {
  public static final String HEADER = "namespace,cpu,memory,pods";
  public static final String CHANGES_HEADER = "timestamp_ms,namespace,cpu,memory,pods";

  private QuotaFileReader() {}

  public static Map<String, Resources> read(BufferedReader in, String source) {
    Map<String, Resources> quotas = new LinkedHashMap<>();
    CsvRows.read(in, source, HEADER, (line, f) -> {
      if (f.length != 4 || f[0].isBlank()) {
        throw new TraceFormatException(source, line, "expected namespace,cpu,memory,pods");
      }
      try {
        if (quotas.put(f[0].trim(), hard(f, 1)) != null) {
          throw new TraceFormatException(source, line, "namespace " + f[0].trim() + " listed twice");
        }
      } catch (InvalidQuantityException e) {
        throw new TraceFormatException(source, line, e.getMessage());
      }
    });
    return quotas;
  }

  public static List<QuotaChange> readChanges(BufferedReader in, String source) {
    List<QuotaChange> changes = new ArrayList<>();
    CsvRows.read(in, source, CHANGES_HEADER, (line, f) -> {
      if (f.length != 5 || f[1].isBlank()) {
        throw new TraceFormatException(source, line, "expected " + CHANGES_HEADER);
      }
      long at;
      try {
        at = Long.parseLong(f[0].trim());
      } catch (NumberFormatException e) {
        throw new TraceFormatException(source, line, "timestamp_ms: not a number: " + f[0].trim());
      }
      if (!changes.isEmpty() && at < changes.get(changes.size() - 1).timestampMs()) {
        throw new TraceFormatException(source, line, "timestamp_ms: out of time order");
      }
      try {
        changes.add(new QuotaChange(at, f[1].trim(), hard(f, 2)));
      } catch (InvalidQuantityException e) {
        throw new TraceFormatException(source, line, e.getMessage());
      }
    });
    return changes;
  }

  public static void writeChanges(List<QuotaChange> changes, Writer out) throws IOException {
    out.write(CHANGES_HEADER);
    out.write('\n');
    for (QuotaChange c : changes) {
      out.write(c.timestampMs() + "," + c.namespace() + "," + columns(c.hard()) + "\n");
    }
  }

  public static void write(Map<String, Resources> quotas, Writer out) throws IOException {
    out.write(HEADER);
    out.write('\n');
    for (Map.Entry<String, Resources> e : quotas.entrySet()) {
      out.write(e.getKey() + "," + columns(e.getValue()) + "\n");
    }
  }

  /** The hard limits in the row's columns {@code from..from+2}: cpu, memory, pods. */
  private static Resources hard(String[] f, int from) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("cpu", f[from].trim());
    q.put("memory", f[from + 1].trim());
    q.put("pods", f[from + 2].trim());
    return Resources.parse(q);
  }

  /** {@code cpu,memory,pods} of {@code hard}, 0 where it has none. */
  private static String columns(Resources hard) {
    Map<String, String> q = hard.toQuantities();
    return q.getOrDefault("cpu", "0") + "," + q.getOrDefault("memory", "0") + "," + q.getOrDefault("pods", "0");
  }
}
