package dev.kernelpool.k8s.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on a loopback port in front of an API server, so a network partition can be played
 * against a server without fault switches: {@link #cut()} closes every relayed connection and
 * refuses new ones until {@link #restore()}. Bytes pass unchanged (TLS ends at the server).
 */
public final class TcpPartition implements AutoCloseable {
  private final ServerSocket listener;
  private final InetSocketAddress upstream;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean cut;

  public TcpPartition(InetSocketAddress upstream) throws IOException {
    this.upstream = upstream;
    this.listener = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "tcp-partition-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return;
      }
      if (cut) {
        closeQuietly(client);
        continue;
      }
      try {
        Socket server = new Socket();
        server.connect(upstream, 5000);
        // without it every small request waits out a delayed ACK (40 ms) at each hop
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        open.add(client);
        open.add(server);
        pump(client, server);
        pump(server, client);
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16384];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // the other side or a cut closed it
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "tcp-partition-pump");
    t.setDaemon(true);
    t.start();
  }

  /** Every relayed connection is closed; new ones are closed on arrival. */
  public void cut() {
    cut = true;
    for (Socket s : Set.copyOf(open)) {
      closeQuietly(s);
    }
  }

  public void restore() {
    cut = false;
  }

  /** {@link #cut()} when {@code cut}, else {@link #restore()}. */
  public void set(boolean cut) {
    if (cut) {
      cut();
    } else {
      restore();
    }
  }

  private void closeQuietly(Socket s) {
    open.remove(s);
    try {
      s.close();
    } catch (IOException e) {
      // closing
    }
  }

  @Override
  public void close() {
    cut();
    try {
      listener.close();
    } catch (IOException e) {
      // closing
    }
  }
}
