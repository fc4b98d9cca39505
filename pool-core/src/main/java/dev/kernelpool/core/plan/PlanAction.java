package dev.kernelpool.core.plan;

import dev.kernelpool.core.snapshot.PoolProfile;
import java.util.Objects;

/** One step of a plan. */
public sealed interface PlanAction permits PlanAction.Create, PlanAction.Delete {
  PoolProfile profile();

  Reason reason();

  /** Create {@code count} new members of {@code profile}. */
  record Create(PoolProfile profile, int count, Reason reason) implements PlanAction {
    public Create {
      Objects.requireNonNull(profile, "profile");
      Objects.requireNonNull(reason, "reason");
      if (count <= 0) {
        throw new IllegalArgumentException("create count must be positive, got " + count);
      }
    }
  }

  /** Delete the member {@code memberId} of {@code profile}. */
  record Delete(String memberId, PoolProfile profile, Reason reason) implements PlanAction {
    public Delete {
      Objects.requireNonNull(memberId, "memberId");
      Objects.requireNonNull(profile, "profile");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
