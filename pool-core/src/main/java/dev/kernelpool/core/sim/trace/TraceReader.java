package dev.kernelpool.core.sim.trace;

import dev.kernelpool.core.resource.InvalidQuantityException;
import dev.kernelpool.core.resource.Quantity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes launch traces: CSV with the header {@code
 * timestamp_ms,namespace,kernelspec,cpu,memory,duration_s}, rows in time order, cpu and memory as
 * Kubernetes quantities. A bad row stops the read with its line number.
 */
public final class TraceReader {
  public static final String HEADER = "timestamp_ms,namespace,kernelspec,cpu,memory,duration_s";

  private TraceReader() {}

  public static List<Launch> read(BufferedReader in, String source) {
    List<Launch> launches = new ArrayList<>();
    long[] last = {Long.MIN_VALUE};
    CsvRows.read(in, source, HEADER, (line, f) -> {
      if (f.length != 6) {
        throw new TraceFormatException(source, line, "expected 6 fields, got " + f.length);
      }
      long ts = number(f[0], "timestamp_ms", source, line);
      if (ts < last[0]) {
        throw new TraceFormatException(source, line, "rows must be in time order (" + ts + " < " + last[0] + ")");
      }
      last[0] = ts;
      if (f[1].isBlank() || f[2].isBlank()) {
        throw new TraceFormatException(source, line, "namespace and kernelspec must not be empty");
      }
      long duration = number(f[5], "duration_s", source, line);
      if (duration < 0) {
        throw new TraceFormatException(source, line, "duration_s must not be negative");
      }
      launches.add(new Launch(ts, f[1].trim(), f[2].trim(), quantity(f[3], "cpu", source, line),
          quantity(f[4], "memory", source, line), duration));
    });
    return launches;
  }

  public static void write(List<Launch> launches, Writer out) throws IOException {
    out.write(HEADER);
    out.write('\n');
    StringBuilder sb = new StringBuilder(64);
    for (Launch l : launches) {
      sb.setLength(0);
      sb.append(l.timestampMs()).append(',').append(l.namespace()).append(',').append(l.kernelspec()).append(',')
          .append(Quantity.format(l.cpuMilli())).append(',').append(Quantity.format(l.memoryMilli())).append(',')
          .append(l.durationSeconds()).append('\n');
      out.write(sb.toString());
    }
  }

  private static long number(String text, String field, String source, long line) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new TraceFormatException(source, line, field + " is not a whole number: '" + text + "'");
    }
  }

  private static long quantity(String text, String field, String source, long line) {
    try {
      return Quantity.parseMilli(text.trim());
    } catch (InvalidQuantityException e) {
      throw new TraceFormatException(source, line, field + ": " + e.getMessage());
    }
  }
}
