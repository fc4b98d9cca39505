package dev.kernelpool.core.evict;

import dev.kernelpool.core.snapshot.MemberState;
import dev.kernelpool.core.snapshot.PoolMember;
import java.time.Instant;
import java.util.Optional;

/** Decides whether a live member's time is up. Claimed and terminating members never expire. */
public final class ExpiryCheck {
  private final long ttlMillis;
  private final long startTimeoutMillis;

  public ExpiryCheck(LifecycleRules rules) {
    this.ttlMillis = rules.memberTtl().toMillis();
    this.startTimeoutMillis = rules.startTimeout().toMillis();
  }

  public Optional<Expiry> check(PoolMember member, Instant now) {
    if (!member.state().isLive()) {
      return Optional.empty();
    }
    long age = now.toEpochMilli() - member.createdAt().toEpochMilli();
    if (member.state() == MemberState.STARTING && age >= startTimeoutMillis) {
      return Optional.of(Expiry.START_TIMEOUT);
    }
    if (age >= ttlMillis) {
      return Optional.of(Expiry.TTL_EXPIRED);
    }
    return Optional.empty();
  }
}
