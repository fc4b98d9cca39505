package dev.kernelpool.core.sim.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Reads a CSV with a required header row, handing each non-blank row's fields and line number on. */
final class CsvRows {
  /** Takes one row. */
  @FunctionalInterface
  interface RowHandler {
    void row(long line, String[] fields);
  }

  private CsvRows() {}

  static void read(BufferedReader in, String source, String header, RowHandler handler) {
    try {
      String first = in.readLine();
      if (first == null || !first.trim().equals(header)) {
        throw new TraceFormatException(source, 1, "expected the header '" + header + "'");
      }
      long line = 1;
      String row;
      while ((row = in.readLine()) != null) {
        line++;
        if (!row.isBlank()) {
          handler.row(line, row.split(",", -1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + source, e);
    }
  }
}
