package dev.kernelpool.bridge.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kernelpool.bridge.backend.Scripts;
import dev.kernelpool.bridge.bench.LocalIpykernel;
import dev.kernelpool.bridge.wire.ConnectionInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local backend's kernel launcher (kernel_launcher.py) as a process: the ports it reports and what it leaves behind. */
class KernelLauncherIT {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Below the ephemeral range, so only this test and the launcher take ports in it. */
  private static final int LOWER = 21000;
  private static final int UPPER = 21999;

  @TempDir Path dir;
  private final List<LauncherResponse> received = new CopyOnWriteArrayList<>();
  private final List<Socket> held = new ArrayList<>();
  private ResponseListener listener;
  private Process launcher;

  @BeforeEach
  void listen() throws Exception {
    KeyPair keys = RsaKeys.generate(2048, RANDOM);
    listener = new ResponseListener(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), keys,
        new ConnectionInfoCipher(RANDOM), received::add, new ResponseListener.Settings(4096, Duration.ofSeconds(5), 4));
  }

  @AfterEach
  void stop() throws Exception {
    if (launcher != null) {
      launcher.descendants().forEach(ProcessHandle::destroyForcibly);
      launcher.destroyForcibly().waitFor();
    }
    for (Socket s : held) {
      s.close();
    }
    listener.close();
  }

  /**
   * Another launcher's reservations: ports bound, not listening, with SO_REUSEADDR (as this launcher
   * set it before). Nine in ten ports of the range are held so; the launcher's five kernel ports and
   * its comm port must all be free ones, each once. (With SO_REUSEADDR on both sides Linux lets both bind
   * a port while neither listens: a kernel then reported a port twice, or one another kernel was
   * about to take, and died at start with "Address already in use".)
   */
  @Test
  void itsSixPortsAreItsOwnBesideAnotherLaunchersHeldPorts() throws Exception {
    List<Integer> free = new ArrayList<>();
    for (int port = LOWER; port <= UPPER; port++) {
      if (port % 10 == 0) {
        free.add(port); // one in ten left free: the launcher tries 100 random ports for each socket
        continue;
      }
      Socket s = new Socket();
      s.setReuseAddress(true);
      try {
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        held.add(s);
      } catch (IOException taken) {
        s.close();
      }
    }
    LauncherResponse r = launch("pool-own-ports");
    ConnectionInfo c = r.connectionInfo();
    List<Integer> ports = List.of(c.shellPort(), c.iopubPort(), c.stdinPort(), c.controlPort(), c.hbPort(), r.commPort().getAsInt());
    assertThat(ports).doesNotHaveDuplicates().allMatch(free::contains);
  }

  /**
   * A kernel whose ipykernel cannot bind a reported port (another process took it after the report:
   * the port race of every launcher that reserves and lets go) ends, and leaves no connection file,
   * with its key, in the temporary folder.
   */
  @Test
  void aKernelThatLosesAReportedPortLeavesNoConnectionFile() throws Exception {
    LauncherResponse r = launch("pool-lost-race");
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), r.connectionInfo().shellPort()));
      await().atMost(Duration.ofSeconds(30)).until(() -> !launcher.isAlive());
    }
    assertThat(Files.readString(dir.resolve("launcher.log"))).contains("Address already in use");
    try (Stream<Path> left = Files.list(dir.resolve("tmp"))) {
      assertThat(left).isEmpty();
    }
  }

  private LauncherResponse launch(String kernelId) throws Exception {
    Path script = Scripts.extract(Scripts.KERNEL_LAUNCHER, dir);
    ProcessBuilder pb = new ProcessBuilder(LocalIpykernel.PYTHON, script.toString(),
        "--RemoteProcessProxy.kernel-id", kernelId,
        "--RemoteProcessProxy.response-address", listener.address().toString(),
        "--RemoteProcessProxy.public-key", listener.publicKey(),
        "--RemoteProcessProxy.port-range", LOWER + ".." + UPPER,
        "--ip", "127.0.0.1")
        .redirectErrorStream(true).redirectOutput(dir.resolve("launcher.log").toFile());
    pb.environment().put("TMPDIR", Files.createDirectories(dir.resolve("tmp")).toString());
    launcher = pb.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty() || !launcher.isAlive());
    assertThat(received).as("the launcher's report; its log: %s", Files.readString(dir.resolve("launcher.log"))).hasSize(1);
    return received.get(0);
  }
}
