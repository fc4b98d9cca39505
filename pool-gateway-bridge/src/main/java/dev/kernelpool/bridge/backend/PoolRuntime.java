package dev.kernelpool.bridge.backend;

import dev.kernelpool.bridge.launcher.LauncherResponse;
import dev.kernelpool.core.plan.Plan;
import java.util.Optional;

/** What keeps the pool filled: local processes planned here, or pods planned by the Kubernetes leader. */
public interface PoolRuntime extends AutoCloseable {
  KernelBackend backend();

  /** A pool kernel's launcher reported its connection info. */
  void launched(LauncherResponse response);

  void requestReconcile();

  /** Paused, the pool is neither filled nor drained; claims are still served. */
  void setPaused(boolean paused);

  boolean isReady();

  /** Whether this replica plans and writes the pool: the Lease holder on Kubernetes, always locally. */
  default boolean isLeader() {
    return true;
  }

  /** Why the pool cannot fill, for {@code /readyz}; empty when nothing is known to be wrong. */
  default Optional<String> problem() {
    return Optional.empty();
  }

  Optional<Plan> lastPlan();

  @Override
  void close();
}
