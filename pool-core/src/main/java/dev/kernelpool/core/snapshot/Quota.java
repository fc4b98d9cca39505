package dev.kernelpool.core.snapshot;

import dev.kernelpool.core.resource.Resources;
import java.util.Objects;

/**
 * A namespace's resource quota, with names normalized by {@link QuotaKeys} ({@code
 * requests.cpu} is {@code cpu}).
 *
 * @param hard the limits
 * @param used what is charged now, pool members included
 */
public record Quota(Resources hard, Resources used) {
  public Quota {
    Objects.requireNonNull(hard, "hard");
    Objects.requireNonNull(used, "used");
    if (!hard.isNonNegative() || !used.isNonNegative()) {
      throw new IllegalArgumentException("quota amounts must not be negative");
    }
  }
}
