package dev.kernelpool.bridge.kernel;

import java.time.Duration;

/** A kernel did not answer in time. */
public final class KernelTimeoutException extends Exception {
  private static final long serialVersionUID = 1L;

  public KernelTimeoutException(String what, Duration timeout) {
    super(what + " got no answer within " + timeout.toMillis() + " ms");
  }
}
