package dev.kernelpool.bridge.pool;

import dev.kernelpool.bridge.launcher.LauncherResponse;
import dev.kernelpool.core.snapshot.MemberState;
import dev.kernelpool.core.snapshot.PoolMember;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every kernel of the pool, by id. All state lives here, under one lock: a warm kernel leaves the
 * registry through exactly one of {@link #take}, {@link #markTerminating} or {@link #remove}, so it
 * is never handed out twice and never handed out while being deleted.
 */
public final class WarmKernelRegistry {
  private final Map<String, PoolKernel> kernels = new HashMap<>();
  /** Kernels a claim here took and has not finished with: not adopted again meanwhile. */
  private final Set<String> claiming = new HashSet<>();

  /** Registers a kernel that is being started. */
  public synchronized void addStarting(String id, PoolProfile profile, Instant createdAt) {
    if (kernels.putIfAbsent(id, new PoolKernel(id, profile, MemberState.STARTING, createdAt, Optional.empty())) != null) {
      throw new IllegalStateException("pool kernel " + id + " registered twice");
    }
  }

  /**
   * Records what a launcher reported. Returns the kernel when it was starting and had not
   * reported yet; empty for unknown ids or a second report, which are ignored.
   */
  public synchronized Optional<PoolKernel> launched(String id, LauncherResponse response) {
    PoolKernel k = kernels.get(id);
    if (k == null || k.state() != MemberState.STARTING || k.launch().isPresent()) {
      return Optional.empty();
    }
    PoolKernel updated = k.with(response);
    kernels.put(id, updated);
    return Optional.of(updated);
  }

  /** Marks a started kernel ready for claims; false when it is no longer starting. */
  public synchronized boolean markWarm(String id) {
    PoolKernel k = kernels.get(id);
    if (k == null || k.state() != MemberState.STARTING || k.launch().isEmpty()) {
      return false;
    }
    kernels.put(id, k.with(MemberState.WARM));
    return true;
  }

  /**
   * Adds a kernel another replica made warm (Kubernetes: a warm pool pod seen by the informer).
   * Returns false when the registry knows it already, or a claim here has taken it and not yet
   * finished: the informer may still show it warm until the claim's own change arrives.
   */
  public synchronized boolean adoptWarm(PoolKernel kernel) {
    if (kernel.state() != MemberState.WARM || kernel.launch().isEmpty()) {
      throw new IllegalArgumentException("only a warm kernel with its connection info can be adopted");
    }
    if (claiming.contains(kernel.id())) {
      return false;
    }
    return kernels.putIfAbsent(kernel.id(), kernel) == null;
  }

  /**
   * Atomically takes the oldest warm kernel of exactly {@code profile} out of the pool. The caller
   * owns it from then on, and calls {@link #claimEnded} when its claim is over.
   */
  public synchronized Optional<PoolKernel> take(PoolProfile profile) {
    Optional<PoolKernel> oldest =
        kernels.values().stream()
            .filter(k -> k.state() == MemberState.WARM && k.profile().equals(profile))
            .min(Comparator.comparing(PoolKernel::createdAt).thenComparing(PoolKernel::id));
    oldest.ifPresent(k -> {
      kernels.remove(k.id());
      claiming.add(k.id());
    });
    return oldest;
  }

  /**
   * Returns a kernel taken with {@link #take} and left untouched (not bound, not personalized) to
   * the pool, warm as it was; false when it was not taken here.
   */
  public synchronized boolean putBack(PoolKernel kernel) {
    if (!claiming.contains(kernel.id()) || kernel.state() != MemberState.WARM) {
      return false;
    }
    return kernels.putIfAbsent(kernel.id(), kernel) == null;
  }

  /** The claim of a kernel taken with {@link #take} is over, won or lost. */
  public synchronized void claimEnded(String id) {
    claiming.remove(id);
  }

  /** Marks a kernel as being deleted; returns it unless it was already gone or terminating. */
  public synchronized Optional<PoolKernel> markTerminating(String id) {
    PoolKernel k = kernels.get(id);
    if (k == null || k.state() == MemberState.TERMINATING) {
      return Optional.empty();
    }
    PoolKernel updated = k.with(MemberState.TERMINATING);
    kernels.put(id, updated);
    return Optional.of(updated);
  }

  /** Forgets a kernel (its process is gone). */
  public synchronized Optional<PoolKernel> remove(String id) {
    return Optional.ofNullable(kernels.remove(id));
  }

  public synchronized Optional<PoolKernel> get(String id) {
    return Optional.ofNullable(kernels.get(id));
  }

  /** Every kernel, in id order. */
  public synchronized List<PoolKernel> all() {
    List<PoolKernel> list = new ArrayList<>(kernels.values());
    list.sort(Comparator.comparing(PoolKernel::id));
    return list;
  }

  /** The planner's view of every kernel in {@code namespace}. */
  public synchronized List<PoolMember> members(String namespace) {
    List<PoolMember> list = new ArrayList<>();
    for (PoolKernel k : kernels.values()) {
      if (k.profile().namespace().equals(namespace)) {
        list.add(k.asMember());
      }
    }
    return list;
  }

  /** Number of kernels in {@code state}. */
  public synchronized long count(MemberState state) {
    return kernels.values().stream().filter(k -> k.state() == state).count();
  }
}
