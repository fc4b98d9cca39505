package dev.kernelpool.k8s.cluster;

import dev.kernelpool.k8s.pods.PodProof;
import dev.kernelpool.k8s.pods.PoolLabels;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.informer.cache.Lister;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NamespaceList;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.openapi.models.V1ResourceQuota;
import io.kubernetes.client.openapi.models.V1ResourceQuotaList;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1SecretList;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the pool knows of the cluster, kept by informers (one list each, then watches resumed by
 * resourceVersion; no periodic re-lists): every namespace, every ResourceQuota, the pods labelled
 * {@code app=enterprise-gateway} (EG's kernels and the pool's own) and the pool's connection
 * Secrets. Readers get the informers' caches; listeners hear every change.
 */
public final class ClusterCache implements AutoCloseable {
  /** Hears every change the informers deliver. */
  public interface Listener {
    default void podChanged(Optional<V1Pod> before, Optional<V1Pod> after) {}

    default void secretChanged(Optional<V1Secret> before, Optional<V1Secret> after) {}

    /** A namespace or quota changed. */
    default void namespaceChanged(String namespace) {}
  }

  private final SharedInformerFactory factory;
  private final SharedIndexInformer<V1Namespace> namespaces;
  private final SharedIndexInformer<V1ResourceQuota> quotas;
  private final SharedIndexInformer<V1Pod> pods;
  private final SharedIndexInformer<V1Secret> secrets;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final String pool;
  /** Pool pods read from cached pods, by uid: a pod's profile is parsed once per resourceVersion. */
  private static final Logger LOG = LoggerFactory.getLogger(ClusterCache.class);
  private final Map<String, ReadPod> read = new ConcurrentHashMap<>();
  private final PodProof proof;

  private record ReadPod(String resourceVersion, Optional<PoolPod> pod) {}

  /** Fresh reads between two sweeps for entries of deleted pods. */
  private static final int PRUNE_EVERY = 4096;
  private final AtomicLong reads = new AtomicLong();

  /**
   * @param resync how often listeners hear every cached pod and Secret again, without any API
   *     call: the safety net for a change a listener could not act on when it happened
   */
  /**
   * @param proof only pods with a valid proof are the pool's ({@link PodProof})
   * @param vault the namespace the pool's connection Secrets live in (the sidecar's own)
   */
  public ClusterCache(KubeClients clients, String pool, java.time.Duration resync, PodProof proof, String vault) {
    this.pool = pool;
    this.proof = proof;
    CoreV1Api api = new CoreV1Api(clients.watches());
    factory = new SharedInformerFactory(clients.watches());
    namespaces = factory.sharedIndexInformerFor(
        p -> api.listNamespace().resourceVersion(p.resourceVersion).watch(p.watch)
            .timeoutSeconds(p.timeoutSeconds).allowWatchBookmarks(true).buildCall(null),
        V1Namespace.class, V1NamespaceList.class);
    quotas = factory.sharedIndexInformerFor(
        p -> api.listResourceQuotaForAllNamespaces().resourceVersion(p.resourceVersion).watch(p.watch)
            .timeoutSeconds(p.timeoutSeconds).allowWatchBookmarks(true).buildCall(null),
        V1ResourceQuota.class, V1ResourceQuotaList.class);
    // No bookmarks for pods: a real API server sends a pod bookmark with "spec":{"containers":null},
    // which client-java's model validation rejects, failing the reflector into a full re-list at
    // every bookmark (found on a real kube-apiserver; the test server now sends them the same way).
    pods = factory.sharedIndexInformerFor(
        p -> api.listPodForAllNamespaces().labelSelector(PoolLabels.APP + "=" + PoolLabels.APP_EG)
            .resourceVersion(p.resourceVersion).watch(p.watch).timeoutSeconds(p.timeoutSeconds)
            .allowWatchBookmarks(false).buildCall(null),
        V1Pod.class, V1PodList.class, resync.toMillis());
    secrets = factory.sharedIndexInformerFor(
        p -> api.listNamespacedSecret(vault).labelSelector(PoolLabels.poolSelector(pool))
            .resourceVersion(p.resourceVersion).watch(p.watch).timeoutSeconds(p.timeoutSeconds)
            .allowWatchBookmarks(true).buildCall(null),
        V1Secret.class, V1SecretList.class, resync.toMillis());
    pods.addEventHandler(handler((a, b) -> {
      if (b.isEmpty()) {
        a.ifPresent(gone -> read.remove(gone.getMetadata().getUid()));
      }
    }));
    pods.addEventHandler(handler((a, b) -> listeners.forEach(l -> l.podChanged(a, b))));
    secrets.addEventHandler(handler((a, b) -> listeners.forEach(l -> l.secretChanged(a, b))));
    namespaces.addEventHandler(handler((a, b) -> listeners.forEach(l -> l.namespaceChanged(name(a, b)))));
    quotas.addEventHandler(handler((a, b) -> listeners.forEach(l -> l.namespaceChanged(namespace(a, b)))));
  }

  private static String name(Optional<V1Namespace> a, Optional<V1Namespace> b) {
    return b.or(() -> a).map(n -> n.getMetadata().getName()).orElse("");
  }

  private static String namespace(Optional<V1ResourceQuota> a, Optional<V1ResourceQuota> b) {
    return b.or(() -> a).map(q -> q.getMetadata().getNamespace()).orElse("");
  }

  private interface Change<T> {
    void accept(Optional<T> before, Optional<T> after);
  }

  private static <T extends io.kubernetes.client.common.KubernetesObject> ResourceEventHandler<T> handler(Change<T> change) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        change.accept(Optional.empty(), Optional.of(obj));
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        change.accept(Optional.of(oldObj), Optional.of(newObj));
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        change.accept(Optional.of(obj), Optional.empty());
      }
    };
  }

  /**
   * The pool pod {@code pod} is ({@link PoolPod#of}, and proven the pool's: {@link PodProof}), read
   * once per resourceVersion: a steady reconcile meets the same unchanged pods again and again.
   */
  public Optional<PoolPod> poolPod(V1Pod pod) {
    String uid = pod.getMetadata().getUid();
    String version = pod.getMetadata().getResourceVersion();
    if (uid == null || version == null) {
      return Optional.empty();
    }
    ReadPod known = read.get(uid);
    if (known != null && known.resourceVersion().equals(version)) {
      return known.pod();
    }
    Optional<PoolPod> labelled = PoolPod.of(pod, pool);
    Optional<PoolPod> parsed = labelled.filter(p -> proof.verifies(pod));
    // the pool's own pods are proven a moment after their creation: only older ones are strangers
    if (labelled.isPresent() && parsed.isEmpty()
        && labelled.get().createdAt().isBefore(java.time.Instant.now().minusSeconds(10))) {
      LOG.warn("pod {}/{} has the pool's labels but no valid proof: not the pool's, ignored (a pod a user made, or one "
          + "from a version before proofs; delete it if it is yours)", pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    }
    read.put(uid, new ReadPod(version, parsed));
    if (reads.incrementAndGet() % PRUNE_EVERY == 0) {
      // A read that raced a deletion may have left entries of pods that are gone.
      Set<String> live = new HashSet<>();
      pods.getIndexer().list().forEach(p -> live.add(p.getMetadata().getUid()));
      read.keySet().retainAll(live);
    }
    return parsed;
  }

  /**
   * Pods with this pool's labels but no valid proof, created before {@code createdBefore}, not
   * claimed and not being deleted: the leftovers of a replica that stopped between creating a pod
   * and proving it (they would hold quota for ever), or pods a user planted.
   */
  public List<V1Pod> unproven(Instant createdBefore) {
    return pods.getIndexer().list().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> PoolPod.of(p, pool).filter(l -> !l.isClaimed() && l.createdAt().isBefore(createdBefore)).isPresent())
        .filter(p -> poolPod(p).isEmpty())
        .toList();
  }

  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  /** Starts the informers and waits until each has listed once. */
  public void start(Duration timeout) throws TimeoutException, InterruptedException {
    factory.startAllRegisteredInformers();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!hasSynced()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("the informers did not sync within " + timeout + ": is the API server reachable?");
      }
      Thread.sleep(20);
    }
  }

  public boolean hasSynced() {
    return namespaces.hasSynced() && quotas.hasSynced() && pods.hasSynced() && secrets.hasSynced();
  }

  public List<V1Namespace> namespaces() {
    return namespaces.getIndexer().list();
  }

  /** Whether the informer shows namespace {@code name} (terminating or not): one index lookup. */
  public boolean hasNamespace(String name) {
    return namespaces.getIndexer().getByKey(name) != null;
  }

  /** Whether the informer shows pod {@code namespace/name} as a proven pool pod: until then, one this replica created is pending. */
  public boolean showsProven(String namespace, String name) {
    return pod(namespace, name).flatMap(this::poolPod).isPresent();
  }

  /** Whether {@code namespace} exists and is not being deleted, as the informer last saw it. */
  public boolean isActive(String namespace) {
    V1Namespace ns = namespaces.getIndexer().getByKey(namespace);
    return ns != null && ns.getMetadata().getDeletionTimestamp() == null
        && (ns.getStatus() == null || !"Terminating".equals(ns.getStatus().getPhase()));
  }

  public List<V1ResourceQuota> quotas(String namespace) {
    return new Lister<>(quotas.getIndexer()).namespace(namespace).list();
  }

  /** EG's kernel pods and the pool's pods, everywhere. */
  public List<V1Pod> pods() {
    return pods.getIndexer().list();
  }

  public List<V1Pod> pods(String namespace) {
    return new Lister<>(pods.getIndexer()).namespace(namespace).list();
  }

  public Optional<V1Pod> pod(String namespace, String name) {
    return Optional.ofNullable(new Lister<>(pods.getIndexer()).namespace(namespace).get(name));
  }

  public Optional<V1Secret> secret(String namespace, String name) {
    return Optional.ofNullable(new Lister<>(secrets.getIndexer()).namespace(namespace).get(name));
  }

  public List<V1Secret> secrets() {
    return secrets.getIndexer().list();
  }

  @Override
  public void close() {
    factory.stopAllRegisteredInformers();
  }
}
