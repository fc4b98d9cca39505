package dev.kernelpool.bridge.backend;

/** A backend could not do what was asked; the message says what and why. */
public final class BackendException extends Exception {
  private static final long serialVersionUID = 1L;

  public BackendException(String message, Throwable cause) {
    super(message, cause);
  }

  public BackendException(String message) {
    super(message);
  }
}
