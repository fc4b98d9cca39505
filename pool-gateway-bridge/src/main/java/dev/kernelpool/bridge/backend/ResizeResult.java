package dev.kernelpool.bridge.backend;

/**
 * What resizing a claimed kernel to its profile's resources came to.
 *
 * @param outcome {@code not_needed}, {@code resized}, {@code refused_by_quota}, {@code unsupported} or {@code failed}
 * @param fallBack the kernel must not be handed out: the claim falls back to a cold launch
 */
public record ResizeResult(String outcome, boolean fallBack) {
  public static final ResizeResult NOT_NEEDED = new ResizeResult("not_needed", false);
}
