package dev.kernelpool.k8s.cluster;

import dev.kernelpool.core.quota.FootprintRule;
import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.ClusterSnapshot;
import dev.kernelpool.core.snapshot.KernelspecPopularity;
import dev.kernelpool.core.snapshot.LaunchRecorder;
import dev.kernelpool.core.snapshot.NamespaceState;
import dev.kernelpool.core.snapshot.PoolMember;
import dev.kernelpool.core.snapshot.PoolProfile;
import dev.kernelpool.core.snapshot.Quota;
import dev.kernelpool.core.snapshot.QuotaKeys;
import dev.kernelpool.k8s.pods.Quantities;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1ResourceQuota;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns the informers' caches into the planner's snapshot: per namespace its labels, its quota
 * (several ResourceQuotas combine to the smallest hard limit per resource), the pool's members and
 * the launch history. Usage comes from the quotas' {@code status.used}; where a quota has no
 * status yet, from the requests of the namespace's kernel pods the sidecar watches (EG's and the
 * pool's).
 */
public final class SnapshotBuilder {
  private final ClusterCache cache;
  private final Supplier<List<V1Pod>> pending;
  private final String pool;
  private final LaunchRecorder launches;
  private final Function<String, List<PoolProfile>> declared;
  /**
   * How long a reported usage holds as a floor: beyond a recount of the controller-manager. Room
   * that opens (pods gone) is used at most this long after the last read that still charged them.
   */
  public static final Duration USAGE_WINDOW = Duration.ofSeconds(30);
  private final UsageWatermark watermark = new UsageWatermark(USAGE_WINDOW);
  private final FootprintRule footprint;

  public SnapshotBuilder(ClusterCache cache, String pool, LaunchRecorder launches, Function<String, List<PoolProfile>> declared) {
    this(cache, pool, launches, declared, () -> List.of(), FootprintRule.DEFAULTS);
  }

  /**
   * @param footprint what each pool member is charged at (the pods' requests): usage beyond the
   *     pool's is what the watermark holds
   * @param pending pool pods created but not yet seen by the informer: counted as members, so a
   *     reconcile between a create and its watch event does not create the pod again
   */
  public SnapshotBuilder(ClusterCache cache, String pool, LaunchRecorder launches, Function<String, List<PoolProfile>> declared,
      Supplier<List<V1Pod>> pending, FootprintRule footprint) {
    this.pending = pending;
    this.footprint = footprint;
    this.cache = cache;
    this.pool = pool;
    this.launches = launches;
    this.declared = declared;
  }

  public ClusterSnapshot build(Instant now) {
    Map<String, List<PoolMember>> members = new HashMap<>();
    for (V1Pod pod : cache.pods()) {
      cache.poolPod(pod).flatMap(PoolPod::asMember)
          .ifPresent(m -> members.computeIfAbsent(pod.getMetadata().getNamespace(), k -> new ArrayList<>()).add(m));
    }
    for (V1Pod pod : pending.get()) {
      // until the informer shows it proven: a pod seen before its proof patch is not yet a member there
      if (!cache.showsProven(pod.getMetadata().getNamespace(), pod.getMetadata().getName())) {
        PoolPod.of(pod, pool).flatMap(PoolPod::asMember)
            .ifPresent(m -> members.computeIfAbsent(pod.getMetadata().getNamespace(), k -> new ArrayList<>()).add(m));
      }
    }
    List<NamespaceState> out = new ArrayList<>();
    KernelspecPopularity popularity = launches.popularity(now);
    Set<String> names = new HashSet<>();
    for (V1Namespace ns : cache.namespaces()) {
      String name = ns.getMetadata().getName();
      if (ns.getStatus() != null && "Terminating".equals(ns.getStatus().getPhase())) {
        continue;
      }
      Map<String, String> labels = ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels();
      names.add(name);
      List<PoolMember> own = members.getOrDefault(name, List.of());
      Optional<Quota> quota = quota(name).map(q -> steadied(name, q, own, now));
      out.add(new NamespaceState(name, labels, quota, own,
          launches.history(name, now), declared.apply(name), popularity));
    }
    watermark.retainOnly(names);
    return new ClusterSnapshot(out);
  }

  /**
   * The quota with its usage beyond the pool's own held at its highest of the last {@link
   * #USAGE_WINDOW}: a recount that briefly misses the pool's newest pods reads as others' usage
   * falling, and would let the pool grow past the 95% rule. The pool's own members are added at
   * their footprint as they are now, so its own deletions free room at once.
   */
  private Quota steadied(String namespace, Quota q, List<PoolMember> own, Instant now) {
    Resources charged = footprint.chargedFor(own);
    Resources others = watermark.observe(namespace, q.used().minus(charged).clampedAtZero(), now);
    return new Quota(q.hard(), others.plus(charged));
  }

  /** The namespace's combined quota, or empty when it has none. */
  public Optional<Quota> quota(String namespace) {
    List<V1ResourceQuota> quotas = cache.quotas(namespace);
    if (quotas.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Long> hard = new TreeMap<>();
    Map<String, Long> used = new TreeMap<>();
    boolean allHaveStatus = true;
    for (V1ResourceQuota q : quotas) {
      if (q.getSpec() == null || q.getSpec().getHard() == null) {
        continue;
      }
      merge(hard, QuotaKeys.parse(text(q.getSpec().getHard())), Math::min);
      if (q.getStatus() == null || q.getStatus().getUsed() == null) {
        allHaveStatus = false;
      } else {
        merge(used, QuotaKeys.parse(text(q.getStatus().getUsed())), Math::max);
      }
    }
    Resources usage = allHaveStatus ? Resources.ofMilli(used) : podUsage(namespace);
    return Optional.of(new Quota(Resources.ofMilli(hard), usage));
  }

  private static void merge(Map<String, Long> into, Resources r, java.util.function.BinaryOperator<Long> how) {
    for (int i = 0; i < r.size(); i++) {
      into.merge(r.nameAt(i), r.milliAt(i), how);
    }
  }

  private static Map<String, String> text(Map<String, Quantity> q) {
    Map<String, String> out = new TreeMap<>();
    q.forEach((k, v) -> out.put(k, v.toSuffixedString()));
    return out;
  }

  private Resources podUsage(String namespace) {
    Map<String, Long> used = new TreeMap<>();
    for (V1Pod pod : cache.pods(namespace)) {
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if ("Succeeded".equals(phase) || "Failed".equals(phase) || pod.getSpec() == null) {
        continue;
      }
      used.merge("pods", 1000L, Long::sum);
      for (V1Container c : pod.getSpec().getContainers()) {
        if (c.getResources() != null) {
          Quantities.addAll(used, c.getResources().getRequests(), "");
          Quantities.addAll(used, c.getResources().getLimits(), "limits.");
        }
      }
    }
    return Resources.ofMilli(used);
  }

}
