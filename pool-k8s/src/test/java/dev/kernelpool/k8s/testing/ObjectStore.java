package dev.kernelpool.k8s.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The API server's storage: objects by resource, namespace and name, one resourceVersion counter
 * for all of them (as etcd's revision), and a bounded history of changes that watches resume from.
 * Every method runs under the store's monitor; watchers wait on it for new changes.
 */
final class ObjectStore {
  record Key(ResourceType type, String namespace, String name) {}

  /** One change: the object after it (before it, for a deletion) and, for a modification, before it. */
  record Change(long resourceVersion, String type, ResourceType resource, String namespace, ObjectNode object, ObjectNode previous) {}

  private static final String ALPHANUMERIC = "bcdfghjklmnpqrstvwxz2456789";

  private static final Comparator<Key> ORDER = Comparator.comparing((Key k) -> k.type().plural())
      .thenComparing(Key::namespace).thenComparing(Key::name);
  /** Ordered by resource, namespace, name: a list of one namespace is a range, not a scan. */
  private final java.util.NavigableMap<Key, ObjectNode> objects = new java.util.TreeMap<>(ORDER);
  private final Deque<Change> history = new ArrayDeque<>();
  private final int historyLimit;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final List<Admission> admissions = new ArrayList<>();
  private long revision = 1;
  /** Changes at or below this revision are gone from the history: resuming from there answers 410. */
  private long compactedThrough;
  private boolean holdPodDeletions;

  /** A check or mutation a request passes before it is stored (quota admission). */
  interface Admission {
    void admit(ObjectStore store, String verb, ResourceType type, ObjectNode object, ObjectNode previous);

    /** Runs after every stored change (keeping quota usage current). */
    default void afterChange(ObjectStore store, ResourceType type, String namespace) {}
  }

  ObjectStore(int historyLimit, Clock clock) {
    this.historyLimit = historyLimit;
    this.clock = clock;
  }

  synchronized void addAdmission(Admission admission) {
    admissions.add(admission);
  }

  synchronized long revision() {
    return revision;
  }

  synchronized ObjectNode get(ResourceType type, String namespace, String name) {
    ObjectNode o = objects.get(new Key(type, nsKey(type, namespace), name));
    if (o == null) {
      throw ApiError.notFound(type, name);
    }
    return o.deepCopy();
  }

  synchronized List<ObjectNode> list(ResourceType type, String namespace, Predicate<JsonNode> filter) {
    Map<Key, ObjectNode> range = namespace == null || !type.namespaced()
        ? objects.subMap(new Key(type, "", ""), true, new Key(type, "\uffff", ""), false)
        : objects.subMap(new Key(type, namespace, ""), true, new Key(type, namespace, "\uffff"), false);
    List<ObjectNode> out = new ArrayList<>();
    for (ObjectNode v : range.values()) {
      if (filter.test(v)) {
        out.add(v.deepCopy());
      }
    }
    return out;
  }

  synchronized ObjectNode create(ResourceType type, String namespace, ObjectNode object) {
    ObjectNode meta = metadata(object);
    if (type.namespaced()) {
      ObjectNode ns = objects.get(new Key(ResourceType.NAMESPACES, "", namespace));
      if (ns == null) {
        throw new ApiError(404, "NotFound", "namespaces \"" + namespace + "\" not found");
      }
      if (ns.path("status").path("phase").asText().equals("Terminating")) {
        throw ApiError.forbidden(type, meta.path("name").asText(),
            "unable to create new content in namespace " + namespace + " because it is being terminated");
      }
      String given = meta.path("namespace").asText("");
      if (!given.isEmpty() && !given.equals(namespace)) {
        throw ApiError.badRequest("the namespace of the provided object does not match the namespace sent on the request");
      }
      meta.put("namespace", namespace);
    }
    String name = meta.path("name").asText("");
    if (name.isEmpty()) {
      String prefix = meta.path("generateName").asText("");
      if (prefix.isEmpty()) {
        throw ApiError.invalid(type, "", "metadata.name: Required value: name or generateName is required");
      }
      do {
        StringBuilder b = new StringBuilder(prefix);
        for (int i = 0; i < 5; i++) {
          b.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
        }
        name = b.toString();
      } while (objects.containsKey(new Key(type, nsKey(type, namespace), name)));
      meta.put("name", name);
    }
    if (!name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?") || name.length() > 253) {
      throw ApiError.invalid(type, name, "metadata.name: Invalid value: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'");
    }
    Key key = new Key(type, nsKey(type, namespace), name);
    if (objects.containsKey(key)) {
      throw ApiError.alreadyExists(type, name);
    }
    object.put("kind", type.kind());
    object.put("apiVersion", type.apiVersion());
    meta.put("uid", UUID.randomUUID().toString());
    meta.put("creationTimestamp", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    meta.remove("deletionTimestamp");
    if (type.equals(ResourceType.PODS)) {
      ObjectNode status = object.putObject("status");
      status.put("phase", "Pending");
    }
    if (type.equals(ResourceType.NAMESPACES)) {
      object.putObject("status").put("phase", "Active");
    }
    if (type.equals(ResourceType.RESOURCE_QUOTAS)) {
      object.remove("status");
    }
    for (Admission a : admissions) {
      a.admit(this, "create", type, object, null);
    }
    return store(key, "ADDED", object, null);
  }

  /**
   * Replaces an object. A non-empty {@code metadata.resourceVersion} in the new object is a
   * precondition: it must equal the stored one, or 409.
   */
  synchronized ObjectNode update(ResourceType type, String namespace, String name, ObjectNode object, String subresource) {
    Key key = new Key(type, nsKey(type, namespace), name);
    ObjectNode current = objects.get(key);
    if (current == null) {
      throw ApiError.notFound(type, name);
    }
    ObjectNode meta = metadata(object);
    String expected = meta.path("resourceVersion").asText("");
    String actual = current.path("metadata").path("resourceVersion").asText();
    if (!expected.isEmpty() && !expected.equals(actual)) {
      throw ApiError.conflict(type, name, "the object has been modified; please apply your changes to the latest version and try again");
    }
    if (!meta.path("name").asText(name).equals(name)) {
      throw ApiError.badRequest("the name of the object (" + meta.path("name").asText() + ") does not match the name on the URL (" + name + ")");
    }
    ObjectNode next = object.deepCopy();
    ObjectNode nextMeta = metadata(next);
    // Identity and server-set fields survive any update.
    for (String f : new String[] {"name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "generateName"}) {
      JsonNode v = current.path("metadata").get(f);
      if (v == null) {
        nextMeta.remove(f);
      } else {
        nextMeta.set(f, v.deepCopy());
      }
    }
    next.put("kind", type.kind());
    next.put("apiVersion", type.apiVersion());
    if ("status".equals(subresource)) {
      ObjectNode merged = current.deepCopy();
      merged.set("status", next.path("status").deepCopy());
      next = merged;
    } else if ("resize".equals(subresource)) {
      next = resized(type, name, current, next);
    } else if (type.equals(ResourceType.PODS) || type.equals(ResourceType.RESOURCE_QUOTAS) || type.equals(ResourceType.NAMESPACES)) {
      // The main resource ignores status: it has its own subresource.
      if (current.has("status")) {
        next.set("status", current.get("status").deepCopy());
      } else {
        next.remove("status");
      }
      if (type.equals(ResourceType.PODS)) {
        checkPodUpdate(name, current, next);
      }
    }
    for (Admission a : admissions) {
      a.admit(this, subresource == null ? "update" : subresource, type, next, current);
    }
    return store(key, "MODIFIED", next, current);
  }

  /** Pod spec is immutable through the main resource, but for images; resources change through resize. */
  private static void checkPodUpdate(String name, ObjectNode current, ObjectNode next) {
    ObjectNode a = (ObjectNode) current.path("spec").deepCopy();
    ObjectNode b = next.path("spec").isObject() ? (ObjectNode) next.path("spec").deepCopy() : a.objectNode();
    for (ObjectNode spec : List.of(a, b)) {
      for (JsonNode c : spec.path("containers")) {
        ((ObjectNode) c).remove("image");
      }
      spec.remove("activeDeadlineSeconds");
    }
    if (!a.equals(b)) {
      throw ApiError.invalid(ResourceType.PODS, name,
          "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations); resources change through the resize subresource");
    }
  }

  /** The resize subresource: only the containers' resources may change. */
  private static ObjectNode resized(ResourceType type, String name, ObjectNode current, ObjectNode requested) {
    if (!type.equals(ResourceType.PODS)) {
      throw new ApiError(404, "NotFound", "the server could not find the requested resource");
    }
    ObjectNode next = current.deepCopy();
    JsonNode wanted = requested.path("spec").path("containers");
    JsonNode have = next.path("spec").path("containers");
    if (wanted.size() != have.size()) {
      throw ApiError.invalid(type, name, "spec.containers: Forbidden: containers may not be added or removed by resize");
    }
    for (int i = 0; i < have.size(); i++) {
      ObjectNode w = ((ObjectNode) wanted.get(i)).deepCopy();
      ObjectNode h = ((ObjectNode) have.get(i)).deepCopy();
      w.remove("resources");
      h.remove("resources");
      w.remove("resizePolicy");
      h.remove("resizePolicy");
      if (!w.equals(h)) {
        throw ApiError.invalid(type, name, "spec: Forbidden: only cpu and memory resources are mutable through resize");
      }
      ((ObjectNode) have.get(i)).set("resources", wanted.get(i).path("resources").deepCopy());
    }
    return next;
  }

  /** Deletes an object; a non-empty {@code resourceVersion} or {@code uid} precondition must match, or 409. */
  synchronized ObjectNode delete(ResourceType type, String namespace, String name, String rvPrecondition, String uidPrecondition) {
    Key key = new Key(type, nsKey(type, namespace), name);
    ObjectNode current = objects.get(key);
    if (current == null) {
      throw ApiError.notFound(type, name);
    }
    if (rvPrecondition != null && !rvPrecondition.isEmpty()
        && !rvPrecondition.equals(current.path("metadata").path("resourceVersion").asText())) {
      throw ApiError.conflict(type, name, "Precondition failed: ResourceVersion in precondition: " + rvPrecondition
          + ", ResourceVersion in object meta: " + current.path("metadata").path("resourceVersion").asText());
    }
    if (uidPrecondition != null && !uidPrecondition.isEmpty()
        && !uidPrecondition.equals(current.path("metadata").path("uid").asText())) {
      throw ApiError.conflict(type, name, "Precondition failed: UID in precondition: " + uidPrecondition);
    }
    if (holdPodDeletions && type.equals(ResourceType.PODS)) {
      if (!current.path("metadata").has("deletionTimestamp")) {
        ObjectNode terminating = current.deepCopy();
        metadata(terminating).put("deletionTimestamp", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString())
            .put("deletionGracePeriodSeconds", 30);
        return store(key, "MODIFIED", terminating, current);
      }
      return current.deepCopy();
    }
    if (type.equals(ResourceType.NAMESPACES)) {
      for (Key k : List.copyOf(objects.keySet())) {
        if (k.type().namespaced() && k.namespace().equals(name)) {
          remove(k);
        }
      }
    }
    return remove(key);
  }

  /**
   * On: a deleted pod stays, {@code Terminating} (deletionTimestamp set), as a real API server keeps
   * a pod bound to a node until its kubelet confirms; off: every such pod goes.
   */
  synchronized void holdPodDeletions(boolean hold) {
    holdPodDeletions = hold;
    if (!hold) {
      for (Map.Entry<Key, ObjectNode> e : List.copyOf(objects.entrySet())) {
        if (e.getKey().type().equals(ResourceType.PODS) && e.getValue().path("metadata").has("deletionTimestamp")) {
          remove(e.getKey());
        }
      }
    }
  }

  private ObjectNode remove(Key key) {
    ObjectNode current = objects.remove(key);
    ObjectNode gone = current.deepCopy();
    metadata(gone).put("resourceVersion", Long.toString(++revision));
    record(new Change(revision, "DELETED", key.type(), key.namespace(), gone, current));
    afterChange(key.type(), key.namespace());
    return gone.deepCopy();
  }

  private ObjectNode store(Key key, String changeType, ObjectNode object, ObjectNode previous) {
    metadata(object).put("resourceVersion", Long.toString(++revision));
    objects.put(key, object);
    record(new Change(revision, changeType, key.type(), key.namespace(), object.deepCopy(), previous));
    afterChange(key.type(), key.namespace());
    return object.deepCopy();
  }

  private void afterChange(ResourceType type, String namespace) {
    for (Admission a : admissions) {
      a.afterChange(this, type, namespace);
    }
  }

  /** Stores a server-side change (quota status, kubelet status) without admission. */
  synchronized void putInternal(ResourceType type, String namespace, String name, ObjectNode object) {
    Key key = new Key(type, nsKey(type, namespace), name);
    ObjectNode previous = objects.get(key);
    if (previous == null) {
      return;
    }
    if (!previous.equals(object)) {
      store(key, "MODIFIED", object, previous);
    }
  }

  private void record(Change change) {
    history.addLast(change);
    while (history.size() > historyLimit) {
      compactedThrough = history.removeFirst().resourceVersion();
    }
    notifyAll();
  }

  /** Forgets the whole history: a watch resuming from any earlier resourceVersion gets 410 Gone. */
  synchronized void compact() {
    history.clear();
    compactedThrough = revision;
  }

  /**
   * The changes after {@code from}, waiting up to {@code waitMillis} for one; throws 410 when the
   * history no longer reaches back to {@code from}.
   */
  synchronized List<Change> changesAfter(long from, long waitMillis, java.util.function.BooleanSupplier cancelled) throws InterruptedException {
    long deadline = System.currentTimeMillis() + waitMillis;
    while (true) {
      if (from < compactedThrough) {
        throw new ApiError(410, "Expired", "too old resource version: " + from + " (" + compactedThrough + ")");
      }
      // The history is in resourceVersion order: walk back from the newest change only as far as needed.
      List<Change> out = new ArrayList<>();
      for (java.util.Iterator<Change> it = history.descendingIterator(); it.hasNext(); ) {
        Change c = it.next();
        if (c.resourceVersion() <= from) {
          break;
        }
        out.add(c);
      }
      java.util.Collections.reverse(out);
      long left = deadline - System.currentTimeMillis();
      if (!out.isEmpty() || left <= 0 || cancelled.getAsBoolean()) {
        return out;
      }
      wait(Math.min(left, 200));
    }
  }

  private static String nsKey(ResourceType type, String namespace) {
    return type.namespaced() ? Objects.requireNonNull(namespace) : "";
  }

  static ObjectNode metadata(ObjectNode object) {
    JsonNode m = object.get("metadata");
    if (m == null || !m.isObject()) {
      return object.putObject("metadata");
    }
    return (ObjectNode) m;
  }
}
