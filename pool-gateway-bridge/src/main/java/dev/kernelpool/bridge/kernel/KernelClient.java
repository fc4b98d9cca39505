package dev.kernelpool.bridge.kernel;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kernelpool.bridge.wire.ConnectionInfo;
import dev.kernelpool.bridge.wire.DecodeResult;
import dev.kernelpool.bridge.wire.JupyterMessage;
import dev.kernelpool.bridge.wire.MessageFactory;
import dev.kernelpool.bridge.wire.MessageSigner;
import dev.kernelpool.bridge.wire.ReplayGuard;
import dev.kernelpool.bridge.wire.WireCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A client of one kernel: heartbeat (REQ), shell and control (DEALER) and iopub (SUB) sockets on a
 * shared {@link ZContext} it does not own. Every call blocks in a poller with a timeout; requests
 * are serialized on the client, heartbeats on their own socket and lock, so each socket is only
 * ever used by one thread at a time and a heartbeat never delays a request. Every received message is
 * verified; unsigned, wrongly signed, replayed and malformed messages are dropped with one log line
 * each and counted in {@link #rejectedMessages()}.
 */
public final class KernelClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KernelClient.class);
  private static final byte[] PING = "ping".getBytes(StandardCharsets.US_ASCII);

  private final ZContext context;
  private final ConnectionInfo info;
  private final MessageSigner signer;
  private final MessageFactory messages;
  private final ReplayGuard replays = new ReplayGuard(4096);
  private final AtomicLong rejected = new AtomicLong();
  private final ZMQ.Socket shell;
  private final ZMQ.Socket control;
  private final ZMQ.Socket iopub;
  /** Guards the heartbeat socket alone, so a heartbeat never waits behind a request, nor one behind it. */
  private final Object heartbeatLock = new Object();
  private ZMQ.Socket heartbeat;
  private volatile boolean closed;

  /** Connects to the kernel described by {@code info}. Connecting does not wait for the kernel. */
  public KernelClient(ZContext context, ConnectionInfo info, Clock clock) {
    this.context = context;
    this.info = info;
    this.signer = MessageSigner.forKey(info.key());
    this.messages = new MessageFactory("kernel-pool", clock);
    this.shell = open(SocketType.DEALER, info.shellPort());
    this.control = open(SocketType.DEALER, info.controlPort());
    this.iopub = open(SocketType.SUB, info.iopubPort());
    this.iopub.subscribe(new byte[0]);
    this.heartbeat = open(SocketType.REQ, info.hbPort());
  }

  private ZMQ.Socket open(SocketType type, int port) {
    ZMQ.Socket socket = context.createSocket(type);
    socket.setLinger(0);
    socket.connect(info.endpoint(port));
    return socket;
  }

  public ConnectionInfo connectionInfo() {
    return info;
  }

  /** Messages dropped because they failed verification or did not parse. */
  public long rejectedMessages() {
    return rejected.get();
  }

  /**
   * Whether the kernel answers a heartbeat within {@code timeout}. A ping lost on a connection
   * being set up does not count against the kernel: pings are retried on a fresh socket each
   * second until the timeout.
   */
  public boolean heartbeat(Duration timeout) {
    synchronized (heartbeatLock) {
      checkOpen();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        heartbeat.send(PING);
        try (ZMQ.Poller poller = context.createPoller(1)) {
          poller.register(heartbeat, ZMQ.Poller.POLLIN);
          if (poller.poll(Math.min(left, 1000)) > 0 && poller.pollin(0)) {
            heartbeat.recv();
            return true;
          }
        }
        // A REQ socket without its reply cannot send again: start a new one.
        heartbeat.close();
        heartbeat = open(SocketType.REQ, info.hbPort());
        if (System.nanoTime() >= deadline) {
          return false;
        }
      }
    }
  }

  /** Sends {@code kernel_info_request} and returns the reply: the kernel is ready. */
  public synchronized JupyterMessage kernelInfo(Duration timeout) throws KernelTimeoutException {
    JupyterMessage request = messages.request("kernel_info_request", JsonNodeFactory.instance.objectNode());
    return roundTrip(shell, request, timeout, false).reply();
  }

  /**
   * Waits until the kernel answers {@code kernel_info} and its iopub stream reaches this client,
   * so that no output of a following request is lost to a subscription still being set up.
   */
  public synchronized JupyterMessage awaitReady(Duration timeout) throws KernelTimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    KernelTimeoutException last = null;
    while (System.nanoTime() < deadline) {
      Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
      Duration attempt = left.compareTo(Duration.ofMillis(500)) < 0 ? left : Duration.ofMillis(500);
      JupyterMessage request = messages.request("kernel_info_request", JsonNodeFactory.instance.objectNode());
      try {
        return roundTrip(shell, request, attempt, true).reply();
      } catch (KernelTimeoutException e) {
        last = e;
      }
    }
    throw last != null ? last : new KernelTimeoutException("kernel_info", timeout);
  }

  /**
   * Runs {@code code} and waits for the reply and the kernel's return to idle.
   *
   * @param silent true for warm-up and personalization: no output, no history
   * @param userExpressions expressions evaluated after the code, returned in the reply
   */
  public synchronized ExecuteResult execute(
      String code, boolean silent, Map<String, String> userExpressions, Duration timeout)
      throws KernelTimeoutException {
    return execute(code, silent, userExpressions, timeout, true);
  }

  /**
   * Runs {@code code}; with {@code awaitIdle} false, returns at the {@code execute_reply} without
   * waiting for the iopub stream (enough when the output does not matter: the reply comes after
   * the code ran).
   */
  public synchronized ExecuteResult execute(
      String code, boolean silent, Map<String, String> userExpressions, Duration timeout, boolean awaitIdle)
      throws KernelTimeoutException {
    return roundTrip(shell, messages.request("execute_request", executeContent(code, silent, userExpressions)), timeout, awaitIdle);
  }

  private static ObjectNode executeContent(String code, boolean silent, Map<String, String> userExpressions) {
    ObjectNode content = JsonNodeFactory.instance.objectNode();
    content.put("code", code);
    content.put("silent", silent);
    content.put("store_history", !silent);
    ObjectNode expressions = content.putObject("user_expressions");
    userExpressions.forEach(expressions::put);
    content.put("allow_stdin", false);
    content.put("stop_on_error", true);
    return content;
  }

  /**
   * Sends a silent {@code execute_request} without waiting; {@link #awaitReply} waits for it. The
   * kernel runs shell requests in the order they arrive, so anything sent to it later, by any
   * client, runs after this code.
   */
  public synchronized String sendSilentExecute(String code) {
    checkOpen();
    JupyterMessage request = messages.request("execute_request", executeContent(code, true, Map.of()));
    send(shell, WireCodec.encode(List.of(), request, signer));
    return request.header().msgId();
  }

  /** Waits for the {@code execute_reply} to a request sent by {@link #sendSilentExecute}. */
  public synchronized ExecuteResult awaitReply(String msgId, Duration timeout) throws KernelTimeoutException {
    checkOpen();
    return await(shell, msgId, "execute_request", timeout, false);
  }

  /** Sends {@code interrupt_request} on the control channel and waits for the reply. */
  public synchronized JupyterMessage interrupt(Duration timeout) throws KernelTimeoutException {
    JupyterMessage request = messages.request("interrupt_request", JsonNodeFactory.instance.objectNode());
    return roundTrip(control, request, timeout, false).reply();
  }

  /** Sends {@code shutdown_request} on the control channel and waits for the reply. */
  public synchronized JupyterMessage shutdown(Duration timeout) throws KernelTimeoutException {
    ObjectNode content = JsonNodeFactory.instance.objectNode();
    content.put("restart", false);
    return roundTrip(control, messages.request("shutdown_request", content), timeout, false).reply();
  }

  /** Sends a prepared message on the shell channel without waiting: for tests of the kernel. */
  public synchronized void sendRaw(List<byte[]> frames) {
    checkOpen();
    send(shell, frames);
  }

  private ExecuteResult roundTrip(ZMQ.Socket socket, JupyterMessage request, Duration timeout, boolean awaitIdle)
      throws KernelTimeoutException {
    checkOpen();
    send(socket, WireCodec.encode(List.of(), request, signer));
    return await(socket, request.header().msgId(), request.msgType(), timeout, awaitIdle);
  }

  private ExecuteResult await(ZMQ.Socket socket, String id, String requestType, Duration timeout, boolean awaitIdle)
      throws KernelTimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JupyterMessage reply = null;
    boolean idle = !awaitIdle;
    List<JupyterMessage> output = new ArrayList<>();
    try (ZMQ.Poller poller = context.createPoller(2)) {
      poller.register(socket, ZMQ.Poller.POLLIN);
      poller.register(iopub, ZMQ.Poller.POLLIN);
      while (reply == null || !idle) {
        long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
        if (leftMillis <= 0 || poller.poll(leftMillis) <= 0) {
          throw new KernelTimeoutException(requestType, timeout);
        }
        if (poller.pollin(0)) {
          JupyterMessage m = receive(socket);
          if (m != null && m.parentMsgId().equals(id)) {
            reply = m;
          }
        }
        if (poller.pollin(1)) {
          JupyterMessage m = receive(iopub);
          if (m != null && m.parentMsgId().equals(id)) {
            output.add(m);
            if (m.msgType().equals("status")
                && m.content().path("execution_state").asText().equals("idle")) {
              idle = true;
            }
          }
        }
      }
    }
    return new ExecuteResult(reply, output);
  }

  private static void send(ZMQ.Socket socket, List<byte[]> frames) {
    for (int i = 0; i < frames.size() - 1; i++) {
      socket.sendMore(frames.get(i));
    }
    socket.send(frames.get(frames.size() - 1));
  }

  /** Reads one multipart message; null when it was rejected (logged and counted). */
  private JupyterMessage receive(ZMQ.Socket socket) {
    List<byte[]> frames = new ArrayList<>(8);
    do {
      frames.add(socket.recv());
    } while (socket.hasReceiveMore());
    DecodeResult result = WireCodec.decode(frames, signer, replays);
    if (result instanceof DecodeResult.Decoded decoded) {
      return decoded.message();
    }
    DecodeResult.Rejected r = (DecodeResult.Rejected) result;
    rejected.incrementAndGet();
    LOG.warn("dropped message from kernel at {}: {} ({})", info.ip(), r.reason(), r.detail());
    return null;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("kernel client is closed");
    }
  }

  /** Closes the sockets (linger 0); the shared context stays open. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      shell.close();
      control.close();
      iopub.close();
    }
    synchronized (heartbeatLock) {
      heartbeat.close();
    }
  }
}
