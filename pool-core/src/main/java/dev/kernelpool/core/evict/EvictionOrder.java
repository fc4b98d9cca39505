package dev.kernelpool.core.evict;

import dev.kernelpool.core.snapshot.PoolMember;
import java.util.Comparator;

/** The order in which members of one profile are evicted: oldest first, then by id. */
public final class EvictionOrder {
  /** Oldest first; equal ages by id, so the order never depends on input order. */
  public static final Comparator<PoolMember> OLDEST_FIRST =
      Comparator.comparing(PoolMember::createdAt).thenComparing(PoolMember::id);

  private EvictionOrder() {}
}
