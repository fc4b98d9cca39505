package dev.kernelpool.core.sim.trace;

import dev.kernelpool.core.resource.Resources;
import java.util.Objects;

/** From {@code timestampMs} on, {@code namespace}'s hard quota is {@code hard}: a quota an administrator changed mid-trace. */
public record QuotaChange(long timestampMs, String namespace, Resources hard) {
  public QuotaChange {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(hard, "hard");
  }
}
