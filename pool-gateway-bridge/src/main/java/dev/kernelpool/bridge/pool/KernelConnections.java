package dev.kernelpool.bridge.pool;

import dev.kernelpool.bridge.kernel.KernelClient;
import dev.kernelpool.bridge.wire.ConnectionInfo;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.zeromq.ZContext;

/**
 * One open {@link KernelClient} per pool kernel, on a shared ZeroMQ context, from the kernel's
 * launch report until it is claimed or deleted. Reusing the connection keeps claims fast.
 */
public final class KernelConnections implements AutoCloseable {
  private final ZContext context;
  private final Clock clock;
  private final Map<String, KernelClient> clients = new ConcurrentHashMap<>();

  public KernelConnections(ZContext context, Clock clock) {
    this.context = context;
    this.clock = clock;
  }

  /** Opens (or returns) the client of kernel {@code id}. */
  public KernelClient open(String id, ConnectionInfo info) {
    return clients.computeIfAbsent(id, k -> new KernelClient(context, info, clock));
  }

  /**
   * Heartbeats a kernel on a connection of its own, opened and closed for this check, so it
   * never holds (or closes) the client a claim may be using.
   */
  public boolean probe(dev.kernelpool.bridge.wire.ConnectionInfo info, java.time.Duration timeout) {
    try (KernelClient c = new KernelClient(context, info, clock)) {
      return c.heartbeat(timeout);
    }
  }

  public Optional<KernelClient> get(String id) {
    return Optional.ofNullable(clients.get(id));
  }

  /** Closes the client of kernel {@code id}, if open. */
  public void close(String id) {
    KernelClient c = clients.remove(id);
    if (c != null) {
      c.close();
    }
  }

  public int size() {
    return clients.size();
  }

  @Override
  public void close() {
    clients.keySet().forEach(this::close);
  }
}
