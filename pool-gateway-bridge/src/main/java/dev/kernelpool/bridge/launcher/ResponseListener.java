package dev.kernelpool.bridge.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.BiPredicate;
import dev.kernelpool.bridge.logging.LogBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A response address: accepts the payloads launchers send, opens them with this listener's own
 * RSA key pair and hands each {@link LauncherResponse} to a sink. Bad input never stops it:
 * empty, oversized, slow, non-base64, wrongly keyed, replayed and malformed payloads are each
 * rejected with one log line and counted. Connections are served by a small pool with a total
 * deadline each, so a slow sender cannot hold up others.
 */
public final class ResponseListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResponseListener.class);

  /**
   * @param maxPayloadBytes payloads larger than this are rejected unread
   * @param readTimeout the most a sender may take from connect to EOF
   * @param handlers connections served at once
   */
  public record Settings(int maxPayloadBytes, Duration readTimeout, int handlers) {
    public static final Settings DEFAULTS = new Settings(64 * 1024, Duration.ofSeconds(2), 16);

    public Settings {
      if (maxPayloadBytes < 1024) {
        throw new IllegalArgumentException("response listener: maxPayloadBytes must be at least 1024");
      }
      if (readTimeout.isNegative() || readTimeout.isZero()) {
        throw new IllegalArgumentException("response listener: readTimeout must be positive");
      }
      if (handlers < 1) {
        throw new IllegalArgumentException("response listener: handlers must be positive");
      }
    }
  }

  private final KeyPair keys;
  private final ConnectionInfoCipher cipher;
  private final Consumer<LauncherResponse> sink;
  private final BiPredicate<LauncherResponse, InetAddress> authentic;
  private final Settings settings;
  private final ServerSocket server;
  private final ThreadPoolExecutor handlers;
  private final Thread acceptor;
  private final AtomicLong accepted = new AtomicLong();
  private final Map<PayloadException.Reason, AtomicLong> rejected = new EnumMap<>(PayloadException.Reason.class);
  private final Map<String, Boolean> seenPayloads = new LinkedHashMap<>(256, 0.75f, false) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > 4096;
    }
  };
  /** Whoever reaches the port causes these lines: at most 20 a minute, the rest counted. */
  private final LogBudget rejections = new LogBudget(20, Duration.ofMinutes(1), java.time.InstantSource.system());
  private volatile boolean closed;

  /** Binds {@code address} (port 0 for any) and starts accepting. */
  public ResponseListener(
      InetSocketAddress address,
      KeyPair keys,
      ConnectionInfoCipher cipher,
      Consumer<LauncherResponse> sink,
      Settings settings)
      throws IOException {
    this(address, keys, cipher, (r, peer) -> true, sink, settings);
  }

  /**
   * Binds {@code address} and starts accepting; a payload that opens but fails {@code authentic}
   * (given the report and the address it came from) is rejected as {@link
   * PayloadException.Reason#UNAUTHENTIC} and never reaches the sink.
   */
  public ResponseListener(
      InetSocketAddress address,
      KeyPair keys,
      ConnectionInfoCipher cipher,
      BiPredicate<LauncherResponse, InetAddress> authentic,
      Consumer<LauncherResponse> sink,
      Settings settings)
      throws IOException {
    this.keys = keys;
    this.authentic = authentic;
    this.cipher = cipher;
    this.sink = sink;
    this.settings = settings;
    for (PayloadException.Reason r : PayloadException.Reason.values()) {
      rejected.put(r, new AtomicLong());
    }
    this.server = new ServerSocket();
    this.server.bind(address, 128);
    AtomicInteger n = new AtomicInteger();
    this.handlers =
        new ThreadPoolExecutor(
            settings.handlers(),
            settings.handlers(),
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(256),
            r -> {
              Thread t = new Thread(r, "response-listener-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.acceptor = new Thread(this::acceptLoop, "response-listener-accept");
    this.acceptor.setDaemon(true);
    this.acceptor.start();
  }

  /** The address launchers should send to, as {@code host:port}. */
  public ResponseAddress address() {
    return new ResponseAddress(
        server.getInetAddress().isAnyLocalAddress() ? "127.0.0.1" : server.getInetAddress().getHostAddress(),
        server.getLocalPort());
  }

  /** This listener's public key in the form launchers take it. */
  public String publicKey() {
    return RsaKeys.encode(keys.getPublic());
  }

  public long acceptedCount() {
    return accepted.get();
  }

  public long rejectedCount(PayloadException.Reason reason) {
    return rejected.get(reason).get();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("response listener accept failed: {}", e.getMessage());
        }
        continue;
      }
      try {
        handlers.execute(() -> serve(socket));
      } catch (RejectedExecutionException e) {
        rejections.warn(LOG, "response listener overloaded, dropped connection from {}", socket.getRemoteSocketAddress());
        closeQuietly(socket);
      }
    }
  }

  private void serve(Socket socket) {
    String from = String.valueOf(socket.getRemoteSocketAddress());
    try (socket) {
      String payload = readPayload(socket);
      byte[] json = cipher.open(payload, keys.getPrivate());
      if (!firstSeen(payload)) {
        throw new PayloadException(PayloadException.Reason.REPLAYED, "payload was delivered before");
      }
      LauncherResponse response;
      try {
        response = LauncherResponse.fromJson(json);
      } catch (IllegalArgumentException e) {
        throw new PayloadException(PayloadException.Reason.BAD_CONNECTION_INFO, e.getMessage());
      }
      if (!authentic.test(response, socket.getInetAddress())) {
        throw new PayloadException(PayloadException.Reason.UNAUTHENTIC,
            "report for kernel " + response.kernelId() + " does not prove it comes from that kernel's launcher");
      }
      accepted.incrementAndGet();
      LOG.debug("connection info for kernel {} from {}", response.kernelId(), from);
      sink.accept(response);
    } catch (PayloadException e) {
      rejected.get(e.reason()).incrementAndGet();
      rejections.warn(LOG, "rejected launcher payload from {}: {} ({})", from, e.reason(), e.getMessage());
    } catch (IOException e) {
      rejections.warn(LOG, "launcher connection from {} failed: {}", from, e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("launcher payload from {} could not be handled", from, e);
    }
  }

  private String readPayload(Socket socket) throws IOException, PayloadException {
    long deadline = System.nanoTime() + settings.readTimeout().toNanos();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    InputStream in = socket.getInputStream();
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        throw new PayloadException(PayloadException.Reason.TIMEOUT, "sender too slow");
      }
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
      int n;
      try {
        n = in.read(chunk);
      } catch (SocketTimeoutException e) {
        throw new PayloadException(PayloadException.Reason.TIMEOUT, "sender too slow");
      }
      if (n < 0) {
        break;
      }
      if (buffer.size() + n > settings.maxPayloadBytes()) {
        throw new PayloadException(
            PayloadException.Reason.TOO_LARGE, "payload over " + settings.maxPayloadBytes() + " bytes");
      }
      buffer.write(chunk, 0, n);
    }
    return buffer.toString(StandardCharsets.US_ASCII);
  }

  private boolean firstSeen(String payload) {
    String digest;
    try {
      digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    synchronized (seenPayloads) {
      return seenPayloads.put(digest, Boolean.TRUE) == null;
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    handlers.shutdownNow();
    try {
      acceptor.join(5000);
      handlers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
