package dev.kernelpool.core.snapshot;

import java.time.Instant;
import java.util.Objects;

/**
 * One kernel of the pool.
 *
 * @param id backend-unique identifier (a pod name, a local kernel id)
 * @param createdAt when the member was created; its age drives TTL replacement
 */
public record PoolMember(String id, PoolProfile profile, MemberState state, Instant createdAt) {
  public PoolMember {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("member id must not be empty");
    }
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  public PoolMember withState(MemberState newState) {
    return new PoolMember(id, profile, newState, createdAt);
  }
}
