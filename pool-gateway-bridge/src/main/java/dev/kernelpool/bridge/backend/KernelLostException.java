package dev.kernelpool.bridge.backend;

/**
 * A kernel taken from this replica's registry turned out to be claimed already (by another
 * replica) or gone: the claim should try the next warm kernel.
 */
public final class KernelLostException extends Exception {
  private static final long serialVersionUID = 1L;

  public KernelLostException(String message) {
    super(message);
  }
}
