package dev.kernelpool.k8s.reconcile;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1LimitRange;
import io.kubernetes.client.openapi.models.V1LimitRangeItem;
import io.kubernetes.client.openapi.models.V1ResourceQuota;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns, once per namespace, when a pool namespace's quota would refuse Enterprise Gateway's cold
 * pods: the quota tracks cpu or memory requests, and no LimitRange gives containers default
 * requests for them, while EG's pod template renders requests only when the client sends {@code
 * KERNEL_CPUS}/{@code KERNEL_MEMORY}. Every miss there would then fail ("must specify
 * requests.cpu"). One list call per namespace, the first time it keeps a pool.
 */
public final class ColdStartCheck {
  private static final Logger LOG = LoggerFactory.getLogger(ColdStartCheck.class);

  private final CoreV1Api api;
  private final Set<String> checked = ConcurrentHashMap.newKeySet();

  public ColdStartCheck(CoreV1Api api) {
    this.api = api;
  }

  /** The resources the quotas track requests of that no LimitRange defaults; empty when cold pods are admitted. */
  static Set<String> undefaulted(List<V1ResourceQuota> quotas, List<V1LimitRange> ranges) {
    Set<String> tracked = new TreeSet<>();
    for (V1ResourceQuota q : quotas) {
      if (q.getSpec() == null || q.getSpec().getHard() == null) {
        continue;
      }
      for (String key : q.getSpec().getHard().keySet()) {
        switch (key) {
          case "cpu", "requests.cpu" -> tracked.add("cpu");
          case "memory", "requests.memory" -> tracked.add("memory");
          default -> { }
        }
      }
    }
    for (V1LimitRange r : ranges) {
      if (r.getSpec() == null) {
        continue;
      }
      for (V1LimitRangeItem item : r.getSpec().getLimits()) {
        if (!"Container".equals(item.getType())) {
          continue;
        }
        if (item.getDefaultRequest() != null) {
          tracked.removeAll(item.getDefaultRequest().keySet());
        }
        if (item.getDefault() != null) {
          tracked.removeAll(item.getDefault().keySet());
        }
      }
    }
    return tracked;
  }

  /** Checks {@code namespace} once: logs a warning when EG's cold pods would be refused there. */
  void check(String namespace, List<V1ResourceQuota> quotas) {
    if (quotas.isEmpty() || !checked.add(namespace)) {
      return;
    }
    try {
      Set<String> missing = undefaulted(quotas, api.listNamespacedLimitRange(namespace).execute().getItems());
      if (!missing.isEmpty()) {
        LOG.warn("namespace {} keeps a pool and its quota tracks {} requests, but no LimitRange gives containers default "
            + "requests for them: EG's cold pods there are refused unless clients send KERNEL_CPUS and KERNEL_MEMORY "
            + "(apply examples/kubernetes/limitrange.yaml there)", namespace, String.join(" and ", missing));
      }
    } catch (ApiException e) {
      checked.remove(namespace);
      LOG.debug("cannot list the LimitRanges of {}: HTTP {}", namespace, e.getCode());
    }
  }
}
