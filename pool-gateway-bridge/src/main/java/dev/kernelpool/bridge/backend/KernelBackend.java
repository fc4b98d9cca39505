package dev.kernelpool.bridge.backend;

import dev.kernelpool.bridge.launcher.LauncherResponse;
import dev.kernelpool.bridge.pool.PoolKernel;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs pool kernels. A started kernel's launcher reports its connection info to the sidecar's
 * response address with the pool kernel's id as its kernel id.
 */
public interface KernelBackend extends AutoCloseable {

  /** The namespaces pools may live in, with their labels and quotas. */
  List<NamespaceView> namespaces();

  /**
   * Whether {@code namespace} exists for this backend: a claim naming another is a miss whose
   * namespace is neither recorded nor used as a metric label (their number would be the client's
   * to choose).
   */
  boolean knowsNamespace(String namespace);

  /** Starts a pool kernel of {@code profile}; returns once the start was requested. */
  void start(String memberId, PoolProfile profile) throws BackendException;

  /** Stops a pool kernel; best effort, never throws. */
  void stop(PoolKernel kernel);

  /**
   * Binds a taken kernel to the EG kernel it now serves, before its connection info goes to EG
   * (Kubernetes: relabel the pod with EG's kernel id). Throwing means the kernel must not be
   * handed out; {@link KernelLostException} means another replica claimed it first.
   */
  void bind(PoolKernel kernel, String egKernelId) throws BackendException, KernelLostException;

  /**
   * Gives a bound kernel its profile's full resources, where it started with less (Kubernetes:
   * resize the pod in place).
   */
  default ResizeResult resize(PoolKernel kernel) {
    return ResizeResult.NOT_NEEDED;
  }

  /**
   * Whether a kernel this backend handed out for {@code egKernelId} still runs: a second claim for
   * that id would give one EG kernel two kernels. (EG's restart of a kernel ends the old one
   * first.) Backends that cannot tell say false.
   */
  default boolean serves(String egKernelId) {
    return false;
  }

  /**
   * Whether a launch report comes from a launcher this backend started for that kernel (local: the
   * per-kernel secret it was given on stdin; Kubernetes: sent from the IP of the pool's own pod of
   * that name). A report that fails is dropped.
   */
  boolean authentic(LauncherResponse response, InetAddress peer);

  /**
   * The local process of a bound kernel, where EG will watch the launch script as the kernel
   * (local backend); empty where EG watches something else (Kubernetes: the pod).
   */
  default Optional<KernelProcess> process(PoolKernel kernel) {
    return Optional.empty();
  }

  /**
   * The environment variable names pool kernels start with that a claim replaces by the launch's
   * own environment; empty where the kernel's environment is its pod's and only {@code KERNEL_*}
   * values change at claim time.
   */
  default Optional<Set<String>> replacedEnvironment() {
    return Optional.empty();
  }

  /**
   * Values a claimed kernel's environment takes over the request's (Kubernetes: {@code
   * KERNEL_POD_NAME}, which in EG's launch names a pod that was never created).
   */
  default Map<String, String> claimEnvironment(PoolKernel kernel) {
    return Map.of();
  }

  /** The last words of a pool kernel that ended on its own (its output's last lines), where known. */
  default Optional<String> exitCause(String memberId) {
    return Optional.empty();
  }

  /** Sets the callback told the id of a pool kernel whose process or pod went away. */
  void onKernelGone(Consumer<String> callback);

  /** Stops every kernel the pool still owns. */
  @Override
  void close();
}
