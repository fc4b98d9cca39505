package dev.kernelpool.bridge.bench;

import dev.kernelpool.bridge.wire.ConnectionFiles;
import dev.kernelpool.bridge.wire.ConnectionInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * A plain ipykernel started from a connection file on free loopback ports with a random key, the
 * way {@code jupyter_client} starts one; killed on close. The cold start the pool saves.
 */
public final class LocalIpykernel implements AutoCloseable {
  /** Debian's interpreter, which has python3-ipykernel. */
  public static final String PYTHON = "/usr/bin/python3";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Process process;
  private final ConnectionInfo info;

  private LocalIpykernel(Process process, ConnectionInfo info) {
    this.process = process;
    this.info = info;
  }

  /** A random kernel key, 32 bytes as hex. */
  public static String randomKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return HexFormat.of().formatHex(key);
  }

  public static ConnectionInfo freeConnectionInfo(String key) {
    int[] p = FreePorts.take(5);
    return new ConnectionInfo("tcp", "127.0.0.1", p[0], p[1], p[2], p[3], p[4], key, "hmac-sha256", "python3");
  }

  public static LocalIpykernel start(Path dir) {
    return start(PYTHON, dir);
  }

  /** Starts {@code python -m ipykernel_launcher -f FILE}; returns at once. */
  public static LocalIpykernel start(String python, Path dir) {
    ConnectionInfo info = freeConnectionInfo(randomKey());
    Path file = dir.resolve("kernel-" + info.shellPort() + ".json");
    ConnectionFiles.write(info, file);
    try {
      Process p =
          new ProcessBuilder(python, "-m", "ipykernel_launcher", "-f", file.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("kernel-" + info.shellPort() + ".log").toFile())
              .start();
      return new LocalIpykernel(p, info);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start ipykernel", e);
    }
  }

  public ConnectionInfo connectionInfo() {
    return info;
  }

  public Process process() {
    return process;
  }

  public boolean waitForExit(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

}
