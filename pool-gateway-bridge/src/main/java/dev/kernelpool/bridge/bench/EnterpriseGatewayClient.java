package dev.kernelpool.bridge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A Jupyter client of Enterprise Gateway as notebook front ends are: its REST API for kernels and
 * its websocket channels, speaking the Jupyter messaging protocol in JSON (the JDK's HTTP and
 * WebSocket clients, no Jupyter code of ours).
 */
public final class EnterpriseGatewayClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(10);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public EnterpriseGatewayClient(String hostPort) {
    this.base = hostPort;
  }

  /** What {@code POST /api/kernels} answered, and how long it took. */
  public record Started(int status, String kernelId, double seconds, String body) {}

  /** What an execute came to: the result or stream text, or the error's name. */
  public record Executed(String status, String text, String error) {
    public boolean ok() {
      return "ok".equals(status);
    }
  }

  /** A launch as the benchmarks time it: start to EG's {@code 201}, and start to the first result, in milliseconds. */
  public record TimedLaunch(String kernelId, double createdMillis, double firstResultMillis) {}

  /**
   * Launches {@code kernelspec} and runs {@code 1+1} on it over a new websocket; fails unless EG
   * answers {@code 201} and the result is 2. The kernel is left running.
   */
  public TimedLaunch timedLaunch(String kernelspec, Map<String, String> env) throws Exception {
    long t0 = System.nanoTime();
    Started s = start(kernelspec, env);
    if (s.status() != 201) {
      throw new IOException("EG answered " + s.status() + " to a launch of " + kernelspec + ": " + s.body());
    }
    double created = (System.nanoTime() - t0) / 1e6;
    String two = run(s.kernelId(), "1+1");
    double result = (System.nanoTime() - t0) / 1e6;
    if (!"2".equals(two)) {
      throw new IOException("1+1 gave " + two);
    }
    return new TimedLaunch(s.kernelId(), created, result);
  }

  public Started start(String kernelspec, Map<String, String> env) throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode().put("name", kernelspec);
    ObjectNode e = body.putObject("env");
    env.forEach(e::put);
    long t0 = System.nanoTime();
    HttpResponse<String> r = http.send(request("/api/kernels").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
    double seconds = (System.nanoTime() - t0) / 1e9;
    String id = r.statusCode() == 201 ? JSON.readTree(r.body()).path("id").asText() : "";
    return new Started(r.statusCode(), id, seconds, r.body());
  }

  public int interrupt(String kernelId) throws IOException, InterruptedException {
    return post("/api/kernels/" + kernelId + "/interrupt");
  }

  public int restart(String kernelId) throws IOException, InterruptedException {
    return post("/api/kernels/" + kernelId + "/restart");
  }

  public int delete(String kernelId) throws IOException, InterruptedException {
    return http.send(request("/api/kernels/" + kernelId).DELETE().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** The kernel as EG lists it; status 404 once EG has dropped it. */
  public int status(String kernelId) throws IOException, InterruptedException {
    return http.send(request("/api/kernels/" + kernelId).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** EG's view of the kernel's execution state ({@code idle}, {@code busy}, ...). */
  public String executionState(String kernelId) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(request("/api/kernels/" + kernelId).GET().build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? JSON.readTree(r.body()).path("execution_state").asText() : "gone";
  }

  public boolean kernelspecsAnswer() {
    try {
      return http.send(request("/api/kernelspecs").GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private int post(String path) throws IOException, InterruptedException {
    return http.send(request(path).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://" + base + path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json");
  }

  /**
   * Runs {@code code} over a fresh websocket on the kernel's channels and waits for the kernel to
   * go idle after it; fails with a timeout when no answer comes in time.
   */
  public Executed execute(String kernelId, String code, Duration timeout) throws Exception {
    return execute(kernelId, code, timeout, OPEN_TIMEOUT);
  }

  /** The same, waiting up to {@code open} for EG to open the websocket (it first awaits the kernel's kernel_info reply). */
  public Executed execute(String kernelId, String code, Duration timeout, Duration open) throws Exception {
    return execute(kernelId, code, timeout, open, new CompletableFuture<>());
  }

  private Executed execute(String kernelId, String code, Duration timeout, Duration open, CompletableFuture<String> printed)
      throws Exception {
    String msgId = UUID.randomUUID().toString();
    Collector collector = new Collector(msgId, printed);
    WebSocket ws = http.newWebSocketBuilder().connectTimeout(open)
        .buildAsync(URI.create("ws://" + base + "/api/kernels/" + kernelId + "/channels"), collector)
        .get(open.toMillis(), TimeUnit.MILLISECONDS);
    try {
      ObjectNode msg = JSON.createObjectNode();
      msg.putObject("header").put("msg_id", msgId).put("msg_type", "execute_request").put("username", "alice")
          .put("session", UUID.randomUUID().toString()).put("date", "").put("version", "5.3");
      msg.putObject("parent_header");
      msg.putObject("metadata");
      msg.putObject("content").put("code", code).put("silent", false).put("store_history", true)
          .put("allow_stdin", false).putObject("user_expressions");
      msg.put("channel", "shell");
      ws.sendText(msg.toString(), true).get(10, TimeUnit.SECONDS);
      return collector.done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      ws.abort();
    }
  }

  /**
   * Starts {@code code} and returns at once; the future completes with what it came to, or
   * exceptionally (a kernel that exits sends no reply).
   */
  public CompletableFuture<Executed> executeAsync(String kernelId, String code, Duration timeout) {
    return executeAsync(kernelId, code, timeout, new CompletableFuture<>());
  }

  /**
   * The same; {@code printed} completes with the cell's first printed text. A cell that prints
   * first is then running its own code: EG's "busy" comes earlier, while the kernel still ignores
   * SIGINT, so an interrupt at "busy" can be lost.
   */
  public CompletableFuture<Executed> executeAsync(String kernelId, String code, Duration timeout, CompletableFuture<String> printed) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return execute(kernelId, code, timeout, OPEN_TIMEOUT, printed);
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
  }

  /** Runs {@code code} expecting success; returns its text. */
  public String run(String kernelId, String code) throws Exception {
    return run(kernelId, code, OPEN_TIMEOUT);
  }

  /** The same, waiting up to {@code open} for EG to open the websocket. */
  public String run(String kernelId, String code, Duration open) throws Exception {
    Executed e = execute(kernelId, code, Duration.ofSeconds(30), open);
    if (!e.ok()) {
      throw new AssertionError("execute of " + code + " failed: " + e);
    }
    return e.text();
  }

  private static final class Collector implements WebSocket.Listener {
    private final String msgId;
    private final CompletableFuture<String> printed;
    private final StringBuilder partial = new StringBuilder();
    private final StringBuilder text = new StringBuilder();
    private final CompletableFuture<Executed> done = new CompletableFuture<>();
    private String status = "";
    private String error = "";
    private boolean replied;
    private boolean idle;

    Collector(String msgId, CompletableFuture<String> printed) {
      this.msgId = msgId;
      this.printed = printed;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          handle(JSON.readTree(partial.toString()));
        } catch (IOException e) {
          done.completeExceptionally(e);
        }
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    /** Complete once both the shell reply and iopub's idle status came: they race on two channels. */
    private void handle(JsonNode m) {
      if (!msgId.equals(m.path("parent_header").path("msg_id").asText())) {
        return;
      }
      JsonNode content = m.path("content");
      switch (m.path("header").path("msg_type").asText()) {
        case "execute_result" -> text.append(content.path("data").path("text/plain").asText());
        case "stream" -> {
          text.append(content.path("text").asText());
          printed.complete(content.path("text").asText());
        }
        case "error" -> error = content.path("ename").asText();
        case "execute_reply" -> {
          status = content.path("status").asText();
          replied = true;
        }
        case "status" -> idle |= "idle".equals(content.path("execution_state").asText());
        default -> { }
      }
      if (replied && idle) {
        done.complete(new Executed(status, text.toString().strip(), error));
      }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      done.completeExceptionally(new IOException("websocket closed: " + code + " " + reason));
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      done.completeExceptionally(error);
    }
  }
}
