package dev.kernelpool.bridge.pool;

import dev.kernelpool.bridge.launcher.LauncherResponse;
import dev.kernelpool.core.snapshot.MemberState;
import dev.kernelpool.core.snapshot.PoolMember;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One kernel of the pool, as the registry knows it.
 *
 * @param launch what its launcher reported; empty until then
 */
public record PoolKernel(
    String id, PoolProfile profile, MemberState state, Instant createdAt, Optional<LauncherResponse> launch) {

  public PoolKernel {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(launch, "launch");
  }

  PoolKernel with(MemberState newState) {
    return new PoolKernel(id, profile, newState, createdAt, launch);
  }

  PoolKernel with(LauncherResponse response) {
    return new PoolKernel(id, profile, state, createdAt, Optional.of(response));
  }

  /** The planner's view of this kernel. */
  public PoolMember asMember() {
    return new PoolMember(id, profile, state, createdAt);
  }
}
