package dev.kernelpool.core.resource;

/** A text that is not a valid, non-negative Kubernetes quantity. */
public final class InvalidQuantityException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String text;

  public InvalidQuantityException(String text, String reason) {
    super("invalid quantity '" + text + "': " + reason);
    this.text = text;
  }

  /** The text that was rejected. */
  public String text() {
    return text;
  }
}
