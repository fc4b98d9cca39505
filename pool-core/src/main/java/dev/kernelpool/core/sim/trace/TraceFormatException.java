package dev.kernelpool.core.sim.trace;

/** A trace or quota file that cannot be read; the message names the line and the reason. */
public final class TraceFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TraceFormatException(String source, long line, String reason) {
    super(source + ":" + line + ": " + reason);
  }
}
