package dev.kernelpool.bridge.bench;

import dev.kernelpool.bridge.launcher.ConnectionInfoCipher;
import dev.kernelpool.bridge.launcher.LauncherResponse;
import dev.kernelpool.bridge.launcher.ResponseListener;
import dev.kernelpool.bridge.launcher.RsaKeys;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for Enterprise Gateway's side of a remote launch, for the demo, benchmarks and tests:
 * holds an RSA key pair, listens on a response address, and collects the connection info that
 * arrives per kernel id.
 */
public final class GatewayStandIn implements AutoCloseable {
  private final KeyPair keys = RsaKeys.generate(2048, new SecureRandom());
  private final Map<String, CompletableFuture<LauncherResponse>> arrivals = new ConcurrentHashMap<>();
  private final AtomicInteger deliveries = new AtomicInteger();
  private final ResponseListener listener;

  public GatewayStandIn() throws IOException {
    listener =
        new ResponseListener(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            keys,
            new ConnectionInfoCipher(new SecureRandom()),
            r -> {
              deliveries.incrementAndGet();
              expect(r.kernelId()).complete(r);
            },
            new ResponseListener.Settings(64 * 1024, Duration.ofSeconds(5), 16));
  }

  /** The arrival of {@code kernelId}'s connection info. */
  public CompletableFuture<LauncherResponse> expect(String kernelId) {
    return arrivals.computeIfAbsent(kernelId, k -> new CompletableFuture<>());
  }

  public LauncherResponse await(String kernelId, Duration timeout) throws Exception {
    return expect(kernelId).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Everything delivered, all kernel ids together. */
  public int deliveries() {
    return deliveries.get();
  }

  public String responseAddress() {
    return listener.address().toString();
  }

  public String publicKey() {
    return RsaKeys.encode(keys.getPublic());
  }

  @Override
  public void close() {
    listener.close();
  }
}
