package dev.kernelpool.k8s.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small in-memory Kubernetes API server for tests, spoken to over real HTTP by client-java as a
 * real one would be. It follows the API conventions for what this project uses: namespaces, pods
 * (with the {@code status} and {@code resize} subresources), resourcequotas, configmaps, secrets,
 * events and leases; get, list and watch with label and field selectors; create (with {@code
 * generateName}), replace, JSON merge and strategic merge patch, delete with preconditions, and
 * deletecollection. One resourceVersion counter orders every change; updates, patches and deletes
 * that name a stale resourceVersion get 409; watches stream chunked JSON lines, resume from a
 * resourceVersion, send bookmarks when asked, and get a 410 {@code Expired} error event when the
 * history no longer reaches back. Quota admission refuses pods over a ResourceQuota with 403 and
 * keeps {@code status.used} current. {@link #faults()} switches on errors, latency, an outage and
 * dropped watches; {@link #requests()} records every request for counting.
 *
 * <p>Not modelled: graceful deletion (pods go at once), finalizers, server-side apply and JSON
 * patch (415), pagination ({@code limit} is ignored: lists are whole), authentication.
 */
public final class FakeApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FakeApiServer.class);
  private static final long DEFAULT_WATCH_SECONDS = 1800;

  private final ObjectMapper json = new ObjectMapper();
  private final ObjectStore store;
  private final QuotaAdmission quota = new QuotaAdmission();
  private final Faults faults = new Faults();
  private final List<ApiRequest> requests = new CopyOnWriteArrayList<>();
  private final ExecutorService executor;
  private final HttpServer http;
  private final AtomicInteger openWatches = new AtomicInteger();
  private volatile boolean resizeSupported = true;
  private volatile boolean closed;

  private FakeApiServer(int historyLimit, Clock clock) throws IOException {
    // Without TCP_NODELAY, the JDK server's separate header and body writes meet the client's
    // delayed ACK: 40 ms per request. Read once, when the first JDK HttpServer starts.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    store = new ObjectStore(historyLimit, clock);
    store.addAdmission(new LimitRangeAdmission());
    store.addAdmission(quota);
    AtomicInteger n = new AtomicInteger();
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-apiserver-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    http.setExecutor(executor);
    http.createContext("/", this::handle);
    http.start();
  }

  /** An API server on a free loopback port, keeping the last 10,000 changes for watches to resume from. */
  public static FakeApiServer start() {
    return start(10_000);
  }

  public static FakeApiServer start(int historyLimit) {
    try {
      return new FakeApiServer(historyLimit, Clock.systemUTC());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The base URL for {@code Config.fromUrl}. */
  public String url() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  public Faults faults() {
    return faults;
  }

  /** Every request served since the start or the last {@link #clearRequests()}. */
  public List<ApiRequest> requests() {
    return List.copyOf(requests);
  }

  public void clearRequests() {
    requests.clear();
  }

  public long count(Predicate<ApiRequest> which) {
    return requests.stream().filter(which).count();
  }

  /** Watch streams open now. */
  public int openWatches() {
    return openWatches.get();
  }

  /** Off: the {@code pods/resize} subresource is unknown (404), as before Kubernetes 1.33. */
  public void setResizeSupported(boolean supported) {
    this.resizeSupported = supported;
  }

  /** Off: quotas carry no {@code status}, as before the quota controller first ran. */
  public void setQuotaStatus(boolean on) {
    quota.keepStatus(on);
  }

  /** On: deleted pods stay Terminating until this is switched off, as without a kubelet to confirm. */
  public void holdPodDeletions(boolean hold) {
    store.holdPodDeletions(hold);
  }

  /** Forgets the change history: every watch resuming from before now gets 410 Gone. */
  public void compactHistory() {
    store.compact();
  }

  /** The current resourceVersion of the whole store. */
  public long revision() {
    return store.revision();
  }

  // Server-side arrangement for tests, bypassing HTTP (and request counting).

  public ObjectNode createNamespace(String name, Map<String, String> labels) {
    ObjectNode ns = json.createObjectNode();
    ObjectNode meta = ns.putObject("metadata");
    meta.put("name", name);
    ObjectNode l = meta.putObject("labels");
    labels.forEach(l::put);
    return store.create(ResourceType.NAMESPACES, null, ns);
  }

  public ObjectNode createQuota(String namespace, String name, Map<String, String> hard) {
    ObjectNode q = json.createObjectNode();
    q.putObject("metadata").put("name", name);
    ObjectNode h = q.putObject("spec").putObject("hard");
    hard.forEach(h::put);
    return store.create(ResourceType.RESOURCE_QUOTAS, namespace, q);
  }

  /** Creates any object from its JSON, through admission, as a POST would. */
  public ObjectNode create(ResourceType type, String namespace, String objectJson) {
    try {
      return store.create(type, namespace, (ObjectNode) json.readTree(objectJson));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public ObjectNode get(ResourceType type, String namespace, String name) {
    return store.get(type, namespace, name);
  }

  public List<ObjectNode> list(ResourceType type, String namespace, String labelSelector) {
    return store.list(type, namespace, LabelSelector.parse(labelSelector));
  }

  public void delete(ResourceType type, String namespace, String name) {
    store.delete(type, namespace, name, null, null);
  }

  ObjectStore store() {
    return store;
  }

  // HTTP

  private record Route(ResourceType type, String namespace, String name, String subresource) {}

  /** {@code GET /api/v1}: the core group's resources, with {@code pods/resize} only while it is supported. */
  private ObjectNode discovery() {
    ObjectNode list = json.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1").put("groupVersion", "v1");
    var resources = list.putArray("resources");
    for (ResourceType t : ResourceType.ALL) {
      if (t.groupPath().equals("/api/v1")) {
        resources.addObject().put("name", t.plural()).put("singularName", "").put("namespaced", t.namespaced())
            .put("kind", t.kind()).putArray("verbs").add("get").add("list").add("watch").add("create").add("update").add("patch").add("delete");
      }
    }
    resources.addObject().put("name", "pods/status").put("singularName", "").put("namespaced", true).put("kind", "Pod")
        .putArray("verbs").add("get").add("patch").add("update");
    if (resizeSupported) {
      resources.addObject().put("name", "pods/resize").put("singularName", "").put("namespaced", true).put("kind", "Pod")
          .putArray("verbs").add("get").add("patch").add("update");
    }
    return list;
  }

  private void handle(HttpExchange ex) {
    try (ex) {
      Map<String, String> query = query(ex.getRequestURI().getRawQuery());
      Route route;
      ApiRequest request;
      String path = ex.getRequestURI().getRawPath();
      if (ex.getRequestMethod().equals("GET") && (path.equals("/api/v1") || path.equals("/api/v1/"))) {
        requests.add(new ApiRequest("GET", "get", "", null, null, ex.getRequestURI().toString()));
        send(ex, 200, discovery());
        return;
      }
      try {
        route = route(path);
        request = new ApiRequest(ex.getRequestMethod(), verb(ex.getRequestMethod(), route, query),
            route.type().plural() + (route.subresource() == null ? "" : "/" + route.subresource()),
            route.namespace(), route.name(), ex.getRequestURI().toString());
      } catch (ApiError e) {
        requests.add(new ApiRequest(ex.getRequestMethod(), "unknown", "", null, null, ex.getRequestURI().toString()));
        sendError(ex, e);
        return;
      }
      requests.add(request);
      int fault = faults.statusFor(request);
      if (fault != 0) {
        sendError(ex, new ApiError(fault, fault == 503 ? "ServiceUnavailable" : "InternalError",
            "injected fault: " + fault));
        return;
      }
      if (!request.isWatch() && faults.latencyMillis() > 0) {
        Thread.sleep(faults.latencyMillis());
      }
      try {
        serve(ex, route, request, query);
      } catch (ApiError e) {
        sendError(ex, e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        LOG.debug("request {} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI(), e.toString());
      }
    }
  }

  private static String verb(String method, Route r, Map<String, String> query) {
    return switch (method) {
      case "GET" -> r.name() != null ? "get"
          : ("true".equals(query.get("watch")) || "1".equals(query.get("watch"))) ? "watch" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> r.name() != null ? "delete" : "deletecollection";
      default -> throw new ApiError(405, "MethodNotAllowed", "method " + method + " is not allowed");
    };
  }

  private static Route route(String rawPath) {
    String[] all = rawPath.split("/");
    // "", "api", "v1", ... or "", "apis", group, version, ...
    String group;
    int rest;
    if (all.length >= 3 && all[1].equals("api") && all[2].equals("v1")) {
      group = "/api/v1";
      rest = 3;
    } else if (all.length >= 4 && all[1].equals("apis")) {
      group = "/apis/" + all[2] + "/" + all[3];
      rest = 4;
    } else {
      throw new ApiError(404, "NotFound", "the server could not find the requested resource");
    }
    List<String> s = new ArrayList<>();
    for (int i = rest; i < all.length; i++) {
      s.add(URLDecoder.decode(all[i], StandardCharsets.UTF_8));
    }
    if (s.size() >= 3 && s.get(0).equals("namespaces") && ResourceType.find(group, s.get(2)).isPresent()) {
      ResourceType t = ResourceType.find(group, s.get(2)).get();
      return new Route(t, s.get(1), s.size() > 3 ? s.get(3) : null, s.size() > 4 ? s.get(4) : null);
    }
    if (!s.isEmpty()) {
      ResourceType t = ResourceType.find(group, s.get(0))
          .orElseThrow(() -> new ApiError(404, "NotFound", "the server could not find the requested resource"));
      if (t.namespaced() && s.size() > 1) {
        throw new ApiError(404, "NotFound", "the server could not find the requested resource");
      }
      return new Route(t, null, s.size() > 1 ? s.get(1) : null, s.size() > 2 ? s.get(2) : null);
    }
    throw new ApiError(404, "NotFound", "the server could not find the requested resource");
  }

  private void serve(HttpExchange ex, Route r, ApiRequest request, Map<String, String> query) throws IOException, InterruptedException {
    if (r.subresource() != null) {
      boolean known = r.type().equals(ResourceType.PODS)
          && (r.subresource().equals("status") || (r.subresource().equals("resize") && resizeSupported));
      if (!known) {
        throw new ApiError(404, "NotFound", "the server could not find the requested resource");
      }
    }
    String ns = r.type().namespaced() ? r.namespace() : null;
    if (r.type().namespaced() && ns == null && !(request.verb().equals("list") || request.verb().equals("watch"))) {
      throw new ApiError(404, "NotFound", "the server could not find the requested resource");
    }
    switch (request.verb()) {
      case "get" -> send(ex, 200, store.get(r.type(), ns, r.name()));
      case "list" -> send(ex, 200, list(r.type(), ns, query));
      case "watch" -> watch(ex, r.type(), ns, query);
      case "create" -> send(ex, 201, store.create(r.type(), ns, body(ex, r.type())));
      case "update" -> send(ex, 200, store.update(r.type(), ns, r.name(), body(ex, r.type()), r.subresource()));
      case "patch" -> send(ex, 200, patch(ex, r, ns));
      case "delete" -> {
        JsonNode options = readJson(ex);
        JsonNode pre = options == null ? json.createObjectNode() : options.path("preconditions");
        ObjectNode gone = store.delete(r.type(), ns, r.name(),
            pre.path("resourceVersion").asText(null), pre.path("uid").asText(null));
        send(ex, 200, r.type().equals(ResourceType.PODS) ? gone : success(r.type(), gone));
      }
      case "deletecollection" -> {
        for (ObjectNode o : store.list(r.type(), ns, filter(query))) {
          JsonNode m = o.path("metadata");
          try {
            store.delete(r.type(), m.path("namespace").asText(null), m.path("name").asText(), null, null);
          } catch (ApiError e) {
            // Deleted meanwhile.
          }
        }
        send(ex, 200, success(r.type(), null));
      }
      default -> throw new ApiError(405, "MethodNotAllowed", "not allowed");
    }
  }

  private ObjectNode patch(HttpExchange ex, Route r, String ns) throws IOException {
    String type = String.valueOf(ex.getRequestHeaders().getFirst("Content-Type"));
    boolean strategic = type.startsWith("application/strategic-merge-patch+json");
    if (!strategic && !type.startsWith("application/merge-patch+json")) {
      throw new ApiError(415, "UnsupportedMediaType",
          "the body of the request was in an unknown format - accepted media types: application/merge-patch+json, application/strategic-merge-patch+json (this test server does not apply " + type + ")");
    }
    JsonNode patch = readJson(ex);
    if (patch == null) {
      throw ApiError.badRequest("the patch body is empty");
    }
    synchronized (store) {
      ObjectNode current = store.get(r.type(), ns, r.name());
      ObjectNode merged = Patches.mergePatch(current, patch, strategic);
      return store.update(r.type(), ns, r.name(), merged, r.subresource());
    }
  }

  private ObjectNode list(ResourceType type, String ns, Map<String, String> query) {
    ObjectNode out = json.createObjectNode();
    synchronized (store) {
      out.put("kind", type.kind() + "List");
      out.put("apiVersion", type.apiVersion());
      out.putObject("metadata").put("resourceVersion", Long.toString(store.revision()));
      out.putArray("items").addAll(store.list(type, ns, filter(query)));
    }
    return out;
  }

  private static Predicate<JsonNode> filter(Map<String, String> query) {
    Predicate<JsonNode> labels = LabelSelector.parse(query.get("labelSelector"));
    Predicate<JsonNode> fields = FieldSelector.parse(query.get("fieldSelector"));
    return labels.and(fields);
  }

  private void watch(HttpExchange ex, ResourceType type, String ns, Map<String, String> query) throws IOException, InterruptedException {
    Predicate<JsonNode> filter = filter(query);
    String rv = query.getOrDefault("resourceVersion", "");
    long from;
    try {
      from = rv.isEmpty() ? -1 : Long.parseLong(rv);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("invalid resourceVersion: " + rv);
    }
    long seconds = query.containsKey("timeoutSeconds") ? Long.parseLong(query.get("timeoutSeconds")) : DEFAULT_WATCH_SECONDS;
    boolean bookmarks = "true".equals(query.get("allowWatchBookmarks"));
    long deadline = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(seconds);
    long generation = faults.watchGeneration();
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.getResponseHeaders().set("Transfer-Encoding", "chunked");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    openWatches.incrementAndGet();
    try {
      if (from <= 0) {
        List<ObjectNode> initial;
        synchronized (store) {
          initial = store.list(type, ns, filter);
          from = store.revision();
        }
        for (ObjectNode o : initial) {
          writeEvent(out, "ADDED", o);
        }
      }
      long lastWrite = System.currentTimeMillis();
      while (!closed && System.currentTimeMillis() < deadline && faults.watchGeneration() == generation) {
        if (faults.watchEventsHeld()) {
          Thread.sleep(20);
          continue;
        }
        List<ObjectStore.Change> changes;
        try {
          changes = store.changesAfter(from, Math.min(1000, Math.max(1, deadline - System.currentTimeMillis())),
              () -> closed || faults.watchGeneration() != generation);
        } catch (ApiError e) {
          writeEvent(out, "ERROR", status(e));
          return;
        }
        if (faults.watchGeneration() != generation) {
          break; // dropped: what changed meanwhile is for the next watch
        }
        for (ObjectStore.Change c : changes) {
          from = c.resourceVersion();
          if (!c.resource().equals(type) || (ns != null && !ns.equals(c.namespace()))) {
            continue;
          }
          String event = eventType(c, filter);
          if (event != null) {
            writeEvent(out, event, c.object());
            lastWrite = System.currentTimeMillis();
          }
        }
        if (bookmarks && System.currentTimeMillis() - lastWrite >= 1000) {
          ObjectNode mark = json.createObjectNode();
          mark.put("kind", type.kind());
          mark.put("apiVersion", type.apiVersion());
          mark.putObject("metadata").put("resourceVersion", Long.toString(from));
          if (type.equals(ResourceType.PODS)) {
            // as a real API server (1.20) sends it: an empty pod with a null container list
            mark.putObject("spec").putNull("containers");
            mark.putObject("status");
          }
          writeEvent(out, "BOOKMARK", mark);
          lastWrite = System.currentTimeMillis();
        }
      }
    } finally {
      openWatches.decrementAndGet();
      out.close();
    }
  }

  /** Selector transitions: an object that stops matching is DELETED for the watcher, one that starts is ADDED. */
  private static String eventType(ObjectStore.Change c, Predicate<JsonNode> filter) {
    boolean now = filter.test(c.object());
    if (!c.type().equals("MODIFIED")) {
      return now ? c.type() : null;
    }
    boolean before = c.previous() != null && filter.test(c.previous());
    if (before && now) {
      return "MODIFIED";
    }
    return now ? "ADDED" : before ? "DELETED" : null;
  }

  private void writeEvent(OutputStream out, String type, ObjectNode object) throws IOException {
    ObjectNode e = json.createObjectNode();
    e.put("type", type);
    e.set("object", object);
    out.write(json.writeValueAsBytes(e));
    out.write('\n');
    out.flush();
  }

  private ObjectNode body(HttpExchange ex, ResourceType type) throws IOException {
    JsonNode body = readJson(ex);
    if (body == null || !body.isObject()) {
      throw ApiError.badRequest("the request body must be a JSON object");
    }
    ObjectNode o = (ObjectNode) body;
    String kind = o.path("kind").asText("");
    String apiVersion = o.path("apiVersion").asText("");
    if (!kind.isEmpty() && !kind.equals(type.kind()) || !apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion())) {
      throw ApiError.badRequest("the API version in the data (" + apiVersion + ") and kind (" + kind
          + ") do not match the expected " + type.apiVersion() + " " + type.kind());
    }
    return o;
  }

  private JsonNode readJson(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] bytes = in.readAllBytes();
      if (bytes.length == 0) {
        return null;
      }
      try {
        return json.readTree(bytes);
      } catch (JsonProcessingException e) {
        throw ApiError.badRequest("the request body is not valid JSON: " + e.getOriginalMessage());
      }
    }
  }

  private ObjectNode success(ResourceType type, ObjectNode gone) {
    ObjectNode s = json.createObjectNode();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Success");
    if (gone != null) {
      ObjectNode d = s.putObject("details");
      d.put("name", gone.path("metadata").path("name").asText());
      d.put("kind", type.plural());
      d.put("uid", gone.path("metadata").path("uid").asText());
    }
    return s;
  }

  private ObjectNode status(ApiError e) {
    ObjectNode s = json.createObjectNode();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure");
    s.put("message", e.getMessage());
    s.put("reason", e.reason);
    s.put("code", e.code);
    return s;
  }

  private void sendError(HttpExchange ex, ApiError e) throws IOException {
    send(ex, e.code, status(e));
  }

  private void send(HttpExchange ex, int code, ObjectNode body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      q.put(k, v);
    }
    return q;
  }

  @Override
  public void close() {
    closed = true;
    synchronized (store) {
      store.notifyAll();
    }
    http.stop(0);
    executor.shutdownNow();
  }
}
