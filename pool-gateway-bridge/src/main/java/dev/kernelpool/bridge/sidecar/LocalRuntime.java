package dev.kernelpool.bridge.sidecar;

import dev.kernelpool.bridge.backend.PoolRuntime;

import dev.kernelpool.bridge.backend.KernelBackend;
import dev.kernelpool.bridge.backend.LocalBackend;
import dev.kernelpool.bridge.launcher.LauncherResponse;
import dev.kernelpool.core.plan.Plan;
import java.util.Optional;

/** Local kernel processes, planned by this sidecar's {@link PoolController}. */
final class LocalRuntime implements PoolRuntime {
  private final LocalBackend backend;
  private final PoolController controller;

  LocalRuntime(LocalBackend backend, PoolController controller) {
    this.backend = backend;
    this.controller = controller;
  }

  PoolController controller() {
    return controller;
  }

  @Override
  public KernelBackend backend() {
    return backend;
  }

  @Override
  public void launched(LauncherResponse response) {
    controller.launched(response);
  }

  @Override
  public void requestReconcile() {
    controller.requestReconcile();
  }

  @Override
  public void setPaused(boolean paused) {
    controller.setPaused(paused);
  }

  @Override
  public boolean isReady() {
    return controller.isReady();
  }

  @Override
  public Optional<String> problem() {
    return controller.problem();
  }

  @Override
  public Optional<Plan> lastPlan() {
    return controller.lastPlan();
  }

  @Override
  public void close() {
    controller.close();
    backend.close();
  }
}
