package dev.kernelpool.bridge.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kernelpool.bridge.claim.ClaimOutcome;
import dev.kernelpool.bridge.claim.ClaimRequest;
import dev.kernelpool.bridge.claim.ClaimService;
import dev.kernelpool.bridge.logging.LogBudget;
import dev.kernelpool.bridge.metrics.PoolMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's HTTP server. The claim API checks the shared token in constant time, caps bodies,
 * and answers every error with a JSON body {@code {"result", "reason", "message"}} and a status the
 * launch script acts on (any non-200 means: launch cold).
 */
public final class SidecarHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SidecarHttpServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 256 * 1024;

  static {
    // The JDK server writes a response's headers and body separately; with Nagle's algorithm on,
    // the body can wait for the client's delayed ACK. Claims are latency-bound: turn it off,
    // unless the operator decided otherwise. Read once, when the server classes load.
    setIfUnset("sun.net.httpserver.nodelay", "true");
    // A client that sends a request slowly (or never finishes it) holds a worker thread: the JDK
    // server closes a connection whose request is not read within maxReqTime seconds, and one
    // whose response is not taken within maxRspTime, so a slowloris ties up a worker for seconds,
    // not forever. Idle keep-alive connections are closed after idleInterval seconds.
    setIfUnset("sun.net.httpserver.maxReqTime", "3");
    setIfUnset("sun.net.httpserver.maxRspTime", "30");
    setIfUnset("sun.net.httpserver.idleInterval", "10");
    setIfUnset("sun.net.httpserver.timerMillis", "250");
  }

  private static void setIfUnset(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }

  private final HttpServer server;
  private final Clock clock;
  /** Rejections are caused by whoever reaches the port: at most 20 lines a minute. */
  private final LogBudget rejections;
  private final ExecutorService executor;
  private final byte[] token;
  private final ClaimService claims;
  private final PoolMetrics metrics;
  private final BooleanSupplier ready;
  private final Supplier<ObjectNode> pools;

  public SidecarHttpServer(
      InetSocketAddress address,
      String token,
      ClaimService claims,
      PoolMetrics metrics,
      BooleanSupplier ready,
      Supplier<Optional<String>> problem,
      Supplier<ObjectNode> pools,
      int threads,
      Clock clock)
      throws IOException {
    this.clock = clock;
    this.rejections = new LogBudget(20, java.time.Duration.ofMinutes(1), clock);
    if (token.isEmpty()) {
      throw new IllegalArgumentException("the claim API needs a non-empty token");
    }
    this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.claims = claims;
    this.metrics = metrics;
    this.ready = ready;
    this.pools = pools;
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "sidecar-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.server = HttpServer.create(address, 256);
    server.setExecutor(executor);
    server.createContext("/healthz", ex -> text(ex, "GET", 200, "ok\n"));
    server.createContext("/readyz", ex -> {
      Optional<String> why = ready.getAsBoolean() ? problem.get() : Optional.of("the pool has not been planned yet");
      text(ex, "GET", why.isEmpty() ? 200 : 503, why.map(w -> "not ready: " + w + "\n").orElse("ready\n"));
    });
    server.createContext("/metrics", ex -> text(ex, "GET", 200, metrics.render()));
    server.createContext("/pools", ex -> json(ex, "GET", 200, pools.get()));
    server.createContext("/v1/claims", this::claim);
    server.createContext("/", ex -> json(ex, null, 404, error("error", "not_found", "no such endpoint")));
    server.start();
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void claim(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("POST")) {
        send(ex, 405, error("error", "method_not_allowed", "use POST"));
        return;
      }
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !MessageDigest.isEqual(token, auth.getBytes(StandardCharsets.UTF_8))) {
        reject(ex, 401, "unauthorized", "missing or wrong token");
        return;
      }
      if (!ready.getAsBoolean()) {
        reject(ex, 503, "not_ready", "the pool is not ready");
        return;
      }
      byte[] body = readBody(ex.getRequestBody());
      if (body == null) {
        reject(ex, 413, "too_large", "body over " + MAX_BODY + " bytes");
        return;
      }
      ClaimRequest request;
      try {
        request = ClaimRequest.parse(body, clock.instant());
      } catch (ClaimRequest.InvalidClaimException e) {
        reject(ex, 400, "malformed", e.getMessage());
        return;
      }
      ClaimOutcome outcome = claims.claim(request);
      ObjectNode answer;
      if (outcome instanceof ClaimOutcome.Hit hit) {
        answer = JSON.createObjectNode();
        answer.put("result", "hit");
        answer.put("pool_kernel", hit.poolKernel());
        answer.put("claim_ms", Math.round(hit.claimMillis() * 10) / 10.0);
        answer.put("resize", hit.resize());
        hit.process().ifPresent(p -> {
          answer.put("kernel_pid", p.pid());
          answer.put("comm_ip", p.commHost());
          answer.put("comm_port", p.commPort());
        });
      } else if (outcome instanceof ClaimOutcome.Miss miss) {
        answer = error("miss", miss.reason(), miss.message());
      } else {
        ClaimOutcome.Failed failed = (ClaimOutcome.Failed) outcome;
        answer = error("error", failed.reason(), failed.message());
      }
      send(ex, outcome.status(), answer);
    } catch (RuntimeException e) {
      LOG.error("claim request failed", e);
      try {
        send(ex, 500, error("error", "internal", "the sidecar failed; launching cold"));
      } catch (IOException ignored) {
        // the client is gone
      }
    }
  }

  private void reject(HttpExchange ex, int status, String reason, String message) throws IOException {
    metrics.requestRejected(reason);
    metrics.fallback(reason);
    rejections.warn(LOG, "claim request from {} rejected: {} ({})", ex.getRemoteAddress(), reason, message);
    send(ex, status, error("error", reason, message));
  }

  private static byte[] readBody(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY + 1);
    return body.length > MAX_BODY ? null : body;
  }

  private static ObjectNode error(String result, String reason, String message) {
    ObjectNode node = JSON.createObjectNode();
    node.put("result", result);
    node.put("reason", reason);
    node.put("message", message);
    return node;
  }

  private static void text(HttpExchange ex, String method, int status, String body) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals(method)) {
        send(ex, 405, error("error", "method_not_allowed", "use " + method));
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      ex.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static void json(HttpExchange ex, String method, int status, ObjectNode body) throws IOException {
    try (ex) {
      if (method != null && !ex.getRequestMethod().equals(method)) {
        send(ex, 405, error("error", "method_not_allowed", "use " + method));
        return;
      }
      send(ex, status, body);
    }
  }

  private static void send(HttpExchange ex, int status, ObjectNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
