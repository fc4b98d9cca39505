package dev.kernelpool.bridge.launcher;

/** A connection-info payload that cannot be opened, with the reason it is counted under. */
public final class PayloadException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a payload was rejected. */
  public enum Reason {
    EMPTY,
    TOO_LARGE,
    TIMEOUT,
    NOT_BASE64,
    NOT_JSON,
    UNSUPPORTED_VERSION,
    WRONG_KEY,
    BAD_CIPHERTEXT,
    BAD_CONNECTION_INFO,
    REPLAYED,
    /** Opened fine, but not from a launcher the sidecar started for that kernel (a forged report). */
    UNAUTHENTIC
  }

  private final Reason reason;

  public PayloadException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
