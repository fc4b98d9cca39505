package dev.kernelpool.core.sim.trace;

import dev.kernelpool.core.sim.bound.OnlineBound;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes bound files: CSV {@code launches_per_hour,hours}, one stretch of one profile per
 * row, the {@link OnlineBound} from a scenario's true rates that {@code generate} writes and
 * {@code simulate --bound} compares with.
 */
public final class BoundFileReader {
  public static final String HEADER = "launches_per_hour,hours";

  private BoundFileReader() {}

  public static OnlineBound read(BufferedReader in, String source) {
    List<double[]> rows = new ArrayList<>();
    CsvRows.read(in, source, HEADER, (line, f) -> {
      if (f.length != 2) {
        throw new TraceFormatException(source, line, "expected " + HEADER);
      }
      double rate;
      double hours;
      try {
        rate = Double.parseDouble(f[0].trim());
        hours = Double.parseDouble(f[1].trim());
      } catch (NumberFormatException e) {
        throw new TraceFormatException(source, line, "not a number: " + e.getMessage());
      }
      if (!(rate >= 0) || !(hours >= 0) || Double.isInfinite(rate) || Double.isInfinite(hours)) {
        throw new TraceFormatException(source, line, "rates and hours must be non-negative numbers");
      }
      rows.add(new double[] {rate, hours});
    });
    return OnlineBound.of(rows);
  }

  public static void write(OnlineBound bound, Writer out) throws IOException {
    out.write(HEADER);
    out.write('\n');
    double[] rates = bound.launchesPerHour();
    double[] hours = bound.hours();
    for (int i = 0; i < rates.length; i++) {
      out.write(rates[i] + "," + hours[i] + "\n");
    }
  }
}
