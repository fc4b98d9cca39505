package dev.kernelpool.core.evict;

import dev.kernelpool.core.snapshot.MemberState;
import dev.kernelpool.core.snapshot.PoolMember;
import java.util.Comparator;

/** The orders in which members of one profile are evicted. */
public final class EvictionOrder {
  /** Oldest first; equal ages by id, so the order never depends on input order. */
  public static final Comparator<PoolMember> OLDEST_FIRST =
      Comparator.comparing(PoolMember::createdAt).thenComparing(PoolMember::id);

  /**
   * What a profile's surplus loses first: kernels still starting (newest first: the furthest from
   * ready), then warm ones oldest first. A warm kernel serves the next launch at once; a starting
   * one of the same profile cannot, so it goes first.
   */
  public static final Comparator<PoolMember> SURPLUS_FIRST =
      Comparator.comparing((PoolMember m) -> m.state() != MemberState.STARTING)
          .thenComparing((a, b) -> a.state() == MemberState.STARTING ? OLDEST_FIRST.compare(b, a) : OLDEST_FIRST.compare(a, b));

  private EvictionOrder() {}
}
