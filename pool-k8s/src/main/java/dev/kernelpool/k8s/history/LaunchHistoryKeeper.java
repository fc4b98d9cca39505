package dev.kernelpool.k8s.history;

import dev.kernelpool.core.snapshot.LaunchRecorder;
import dev.kernelpool.core.snapshot.LaunchSeries;
import dev.kernelpool.core.snapshot.PoolProfile;
import dev.kernelpool.k8s.cluster.ClusterCache;
import dev.kernelpool.k8s.pods.PodProfiles;
import dev.kernelpool.k8s.pods.PoolLabels;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns launches from kernel pods as they appear (an EG kernel pod, or a pool pod the moment it
 * is claimed) and keeps them, per namespace, in a ConfigMap named {@code <pool>-history}, so a
 * restarted sidecar forecasts from the same history. Every replica learns; only the leader saves.
 * A launch is counted once: by kernel id within a run, and across restarts by time (what the saved
 * history already covers is not counted again).
 */
public final class LaunchHistoryKeeper implements ClusterCache.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(LaunchHistoryKeeper.class);
  public static final String DATA_KEY = "launches.json";

  private final LaunchRecorder recorder;
  private final Predicate<PoolProfile> claimable;
  private final CoreV1Api api;
  private final Predicate<String> active;
  private final String pool;
  private final Clock clock;
  private final Map<String, Instant> savedThrough = new ConcurrentHashMap<>();
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final Set<String> dirty = ConcurrentHashMap.newKeySet();
  private final Set<String> existing = ConcurrentHashMap.newKeySet();

  public LaunchHistoryKeeper(LaunchRecorder recorder, CoreV1Api api, String pool, Clock clock) {
    this(recorder, api, pool, p -> true, ns -> true, clock);
  }

  /**
   * @param claimable the launches to learn from; others (no claim can name them) are not counted
   * @param active namespaces that exist and are not being deleted: only their histories are saved
   *     (a terminating namespace refuses every write, and would be retried at every save)
   */
  public LaunchHistoryKeeper(LaunchRecorder recorder, CoreV1Api api, String pool, Predicate<PoolProfile> claimable,
      Predicate<String> active, Clock clock) {
    this.claimable = claimable;
    this.active = active;
    this.recorder = recorder;
    this.api = api;
    this.pool = pool;
    this.clock = clock;
  }

  public String configMapName() {
    return pool + "-history";
  }

  /** Loads every saved history: one list call. A malformed one is reported and skipped. */
  public void load() throws ApiException {
    for (V1ConfigMap cm : api.listConfigMapForAllNamespaces().labelSelector(PoolLabels.poolSelector(pool)).execute().getItems()) {
      if (!configMapName().equals(cm.getMetadata().getName())) {
        continue;
      }
      String ns = cm.getMetadata().getNamespace();
      existing.add(ns);
      String data = cm.getData() == null ? null : cm.getData().get(DATA_KEY);
      if (data == null) {
        continue;
      }
      try {
        HistoryCodec.Saved saved = HistoryCodec.decode(data);
        saved.launches().forEach((profile, series) -> {
          if (profile.namespace().equals(ns) && claimable.test(profile)) {
            recorder.recordAll(profile, series);
          }
        });
        savedThrough.put(ns, saved.savedAt());
        LOG.info("loaded the launch history of {}: {} profiles", ns, saved.launches().size());
      } catch (IllegalArgumentException e) {
        LOG.warn("ignoring the launch history in {}/{}: {}", ns, configMapName(), e.getMessage());
      }
    }
  }

  @Override
  public void podChanged(Optional<V1Pod> before, Optional<V1Pod> after) {
    if (after.isEmpty() || !isLaunch(after.get()) || before.map(LaunchHistoryKeeper::isLaunch).orElse(false)) {
      return;
    }
    V1Pod pod = after.get();
    String kernelId = pod.getMetadata().getLabels().get(PoolLabels.KERNEL_ID);
    Instant at = launchTime(pod);
    String ns = pod.getMetadata().getNamespace();
    Instant through = savedThrough.get(ns);
    if ((through != null && !at.isAfter(through)) || !seen.add(ns + "/" + kernelId)) {
      return;
    }
    Optional<PoolProfile> profile = PodProfiles.of(pod);
    if (profile.isEmpty()) {
      LOG.debug("kernel pod {}/{} has no readable profile; not counted", ns, pod.getMetadata().getName());
      return;
    }
    if (!claimable.test(profile.get())) {
      LOG.debug("kernel pod {}/{} is of kernelspec {}, which has no pool; not counted", ns, pod.getMetadata().getName(),
          profile.get().kernelspec());
      return;
    }
    recorder.record(profile.get(), at);
    dirty.add(ns);
  }

  /** EG's mark of a kernel pod: {@code component=kernel} and a {@code kernel_id}. */
  static boolean isLaunch(V1Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels != null && PoolLabels.COMPONENT_KERNEL.equals(labels.get(PoolLabels.COMPONENT))
        && labels.containsKey(PoolLabels.KERNEL_ID);
  }

  private Instant launchTime(V1Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    if (annotations != null && annotations.containsKey(PoolLabels.CLAIMED_AT)) {
      try {
        return Instant.parse(annotations.get(PoolLabels.CLAIMED_AT));
      } catch (java.time.format.DateTimeParseException e) {
        // fall through to the creation time
      }
    }
    OffsetDateTime created = pod.getMetadata().getCreationTimestamp();
    return created == null ? clock.instant() : created.toInstant();
  }

  /** Saves the histories that changed since the last save: one write per changed namespace. Leader only. */
  public void save() {
    Instant now = clock.instant();
    Map<String, Map<PoolProfile, LaunchSeries>> byNamespace = new HashMap<>();
    recorder.export(now).forEach((p, s) -> byNamespace.computeIfAbsent(p.namespace(), k -> new HashMap<>()).put(p, s));
    for (String ns : new HashSet<>(dirty)) {
      dirty.remove(ns);
      if (!active.test(ns)) {
        existing.remove(ns);
        LOG.debug("namespace {} is gone or being deleted: its launch history is not saved", ns);
        continue;
      }
      V1ConfigMap cm = new V1ConfigMap().apiVersion("v1").kind("ConfigMap")
          .metadata(new V1ObjectMeta().name(configMapName()).namespace(ns)
              .labels(Map.of(PoolLabels.MANAGED_BY, PoolLabels.MANAGER, PoolLabels.POOL, pool)))
          .data(Map.of(DATA_KEY, HistoryCodec.encode(now, byNamespace.getOrDefault(ns, Map.of()))));
      try {
        if (existing.contains(ns)) {
          api.replaceNamespacedConfigMap(configMapName(), ns, cm).execute();
        } else {
          try {
            api.createNamespacedConfigMap(ns, cm).execute();
          } catch (ApiException e) {
            if (e.getCode() != 409) {
              throw e;
            }
            // An earlier leader saved it since this replica started: the launches it learnt are
            // also in this replica's recorder (every replica learns), so replacing loses nothing.
            api.replaceNamespacedConfigMap(configMapName(), ns, cm).execute();
          }
          existing.add(ns);
        }
      } catch (ApiException e) {
        if (e.getCode() == 404) {
          existing.remove(ns);
        }
        dirty.add(ns);
        LOG.warn("cannot save the launch history of {} (HTTP {}); retrying at the next save", ns, e.getCode());
      }
    }
  }

  /** Whether a save has something to write. */
  public boolean hasUnsaved() {
    return !dirty.isEmpty();
  }
}
