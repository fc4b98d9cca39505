package dev.kernelpool.bridge.backend;

import dev.kernelpool.bridge.launcher.LauncherResponse;
import dev.kernelpool.bridge.pool.PoolKernel;
import dev.kernelpool.core.quota.FootprintRule;
import dev.kernelpool.core.snapshot.PoolProfile;
import dev.kernelpool.k8s.KubernetesPool;
import dev.kernelpool.k8s.claim.PodClaimer;
import dev.kernelpool.k8s.cluster.PoolPod;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Namespace;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Pool kernels as pods. Pods are created and deleted by the leader's reconciler in pool-k8s; this
 * backend does what a claim needs: bind (the exactly-once claim of the pod), resize in place, and
 * discard a pod whose hand-off failed.
 */
public final class KubernetesBackend implements KernelBackend {
  private final KubernetesPool pool;
  private final FootprintRule footprint;
  private final boolean resizeFallback;
  private final Map<String, String> claimAnnotations;

  /**
   * @param resizeFallback a refused resize fails the claim (a cold launch follows) instead of handing the kernel out small
   * @param claimAnnotations what a claimed pod gets, as EG's kernel-pod template gives its pods
   */
  public KubernetesBackend(KubernetesPool pool, FootprintRule footprint, boolean resizeFallback,
      Map<String, String> claimAnnotations) {
    this.pool = pool;
    this.footprint = footprint;
    this.resizeFallback = resizeFallback;
    this.claimAnnotations = Map.copyOf(claimAnnotations);
  }

  @Override
  public List<NamespaceView> namespaces() {
    return pool.cache().namespaces().stream().map(KubernetesBackend::view).toList();
  }

  private static NamespaceView view(V1Namespace ns) {
    Map<String, String> labels = ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels();
    return new NamespaceView(ns.getMetadata().getName(), labels, Optional.empty(), List.of());
  }

  /**
   * A report names its pod by the kernel id: it must be a pod the pool made (proven, {@link
   * dev.kernelpool.k8s.pods.PodProof}), still starting, and the report must come from that pod's
   * IP. A pod a user planted with the pool's labels, or a process elsewhere that read a pool pod's
   * environment, cannot pass. A report that outruns the informer waits for it: for a pod this
   * replica created, up to {@link #POD_IP_WAIT} for the pod and as long again for its IP.
   */
  @Override
  public boolean authentic(LauncherResponse response, java.net.InetAddress peer) {
    try {
      Optional<PoolPod> pod = pool.awaitPod(response.kernelId(), POD_IP_WAIT).filter(p -> !p.isWarm() && !p.isClaimed());
      if (pod.isEmpty()) {
        return false;
      }
      return pool.podIp(pod.get(), POD_IP_WAIT).map(ip -> ip.equals(peer.getHostAddress())).orElse(false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** How long a report may wait for the kubelet to publish its pod's IP. */
  static final Duration POD_IP_WAIT = Duration.ofSeconds(10);

  @Override
  public boolean knowsNamespace(String namespace) {
    return pool.cache().hasNamespace(namespace);
  }

  @Override
  public void start(String memberId, PoolProfile profile) throws BackendException {
    throw new BackendException("on Kubernetes the leader's reconciler creates pool pods");
  }

  @Override
  public void stop(PoolKernel kernel) {
    pool.pod(kernel.profile().namespace(), kernel.id()).ifPresent(p -> pool.discard(p, "its hand-off to EG failed"));
  }

  @Override
  public void bind(PoolKernel kernel, String egKernelId) throws BackendException, KernelLostException {
    PoolPod pod = pool.pod(kernel.profile().namespace(), kernel.id())
        .filter(PoolPod::isWarm)
        .orElseThrow(() -> new KernelLostException("pod " + kernel.id() + " is no longer warm"));
    try {
      PodClaimer.Result result = pool.claimer().claim(pod.namespace(), pod.name(), pod.resourceVersion(), egKernelId, claimAnnotations);
      if (result == PodClaimer.Result.LOST) {
        throw new KernelLostException("pod " + pod.name() + " was claimed first by another replica");
      }
      pool.events().normal(pod.namespace(), pod.name(), pod.uid(), "Claimed", "handed to EG kernel " + egKernelId);
    } catch (ApiException e) {
      throw new BackendException("cannot claim pod " + pod.namespace() + "/" + pod.name() + ": the API server answered "
          + (e.getCode() == 0 ? e.getMessage() : "HTTP " + e.getCode()), e);
    }
  }

  @Override
  public ResizeResult resize(PoolKernel kernel) {
    PoolProfile profile = kernel.profile();
    var small = footprint.footprintOf(profile);
    boolean needed = false;
    for (String name : List.of("cpu", "memory")) {
      needed |= profile.resources().has(name) && small.milli(name) < profile.resources().milli(name);
    }
    PodClaimer.Resize r = pool.claimer().resize(profile.namespace(), kernel.id(), profile, needed);
    boolean refused = r != PodClaimer.Resize.NOT_NEEDED && r != PodClaimer.Resize.RESIZED;
    if (r == PodClaimer.Resize.RESIZED) {
      pool.pod(profile.namespace(), kernel.id()).ifPresent(p ->
          pool.events().normal(p.namespace(), p.name(), p.uid(), "Resized", "to " + profile.resources()));
    }
    return new ResizeResult(r.label(), refused && resizeFallback);
  }

  /** The pod's real name: EG's launch environment names the pod EG would have created. */
  @Override
  public Map<String, String> claimEnvironment(PoolKernel kernel) {
    return Map.of("KERNEL_POD_NAME", kernel.id());
  }

  @Override
  public void onKernelGone(Consumer<String> callback) {
    // The informer tells the registry; nothing to do here.
  }

  @Override
  public void close() {
    // The pool is the sidecar's to close.
  }
}
