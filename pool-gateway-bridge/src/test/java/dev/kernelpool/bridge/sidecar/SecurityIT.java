package dev.kernelpool.bridge.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kernelpool.bridge.backend.LocalBackend;
import dev.kernelpool.bridge.bench.GatewayStandIn;
import dev.kernelpool.bridge.launcher.ConnectionInfoCipher;
import dev.kernelpool.bridge.launcher.LauncherResponse;
import dev.kernelpool.bridge.launcher.PayloadException;
import dev.kernelpool.bridge.launcher.ResponseAddress;
import dev.kernelpool.bridge.launcher.ResponseSender;
import dev.kernelpool.bridge.launcher.RsaKeys;
import dev.kernelpool.bridge.wire.ConnectionInfo;
import dev.kernelpool.core.snapshot.MemberState;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The attacks of the security probe on a local sidecar, replayed as they were played. */
class SecurityIT {
  @TempDir Path dir;

  /** A pool launcher's command line, read as any local user reads it (ps, /proc). */
  private static Optional<List<String>> launcherCommandLine(Sidecar sidecar) {
    String address = sidecar.responseListener().address().toString();
    return ProcessHandle.allProcesses()
        .map(p -> p.info().arguments())
        .flatMap(Optional::stream)
        .map(Arrays::asList)
        .filter(args -> args.stream().anyMatch(a -> a.endsWith("kernel_launcher.py")) && args.contains(address))
        .findFirst();
  }

  private static String after(List<String> args, String flag) {
    return args.get(args.indexOf(flag) + 1);
  }

  @Test
  void aForgedLaunchReportForAStartingKernelIsRejectedAndTheRealKernelIsHandedOut() throws Exception {
    try (Sidecar sidecar = SidecarFixture.start(dir.resolve("work"), 1, "5s");
        GatewayStandIn eg = new GatewayStandIn()) {
      // The attacker watches the process list for a starting pool kernel ...
      List<String> args = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
          .until(() -> launcherCommandLine(sidecar), Optional::isPresent).orElseThrow();
      String kernelId = after(args, "--RemoteProcessProxy.kernel-id");
      ResponseAddress address = ResponseAddress.parse(after(args, "--RemoteProcessProxy.response-address"));
      // ... and reports first, with its own kernel and key, sealed correctly for the sidecar.
      ConnectionInfo attackers = new ConnectionInfo("tcp", "127.0.0.1", 40001, 40002, 40003, 40004, 40005,
          "attackers-key", ConnectionInfo.HMAC_SHA256, "python3");
      LauncherResponse forged = new LauncherResponse(attackers, kernelId, OptionalLong.of(1), OptionalLong.of(1),
          OptionalInt.of(40006), Optional.of("0".repeat(64)));
      new ResponseSender(new ConnectionInfoCipher(new SecureRandom()))
          .send(address, forged, RsaKeys.parse(after(args, "--RemoteProcessProxy.public-key")), Duration.ofSeconds(2));

      await().atMost(Duration.ofSeconds(10)).until(() ->
          sidecar.responseListener().rejectedCount(PayloadException.Reason.UNAUTHENTIC) == 1);
      SidecarFixture.awaitWarm(sidecar, 1);
      SidecarFixture.Answer hit = SidecarFixture.claim(sidecar, eg, UUID.randomUUID().toString(), Map.of("KERNEL_USERNAME", "victim"));
      LauncherResponse handed = eg.await(hit.kernelId(), Duration.ofSeconds(10));
      SidecarFixture.shutdown(handed);

      assertThat(hit.status()).isEqualTo(200);
      assertThat(handed.connectionInfo().key()).isNotEqualTo("attackers-key");
      assertThat(handed.connectionInfo().shellPort()).isNotEqualTo(40001);
      assertThat(args).as("no secret on the command line").contains("--report-secret=stdin")
          .noneMatch(a -> a.matches("[0-9a-f]{64}"));
    }
  }

  @Test
  void poolKernelsStartWithAMinimalEnvironmentNotTheSidecars() throws Exception {
    try (Sidecar sidecar = SidecarFixture.start(dir.resolve("work"), 1, "5s")) {
      SidecarFixture.awaitWarm(sidecar, 1);
      String address = sidecar.responseListener().address().toString();
      long pid = ProcessHandle.allProcesses()
          .filter(p -> p.info().arguments().map(Arrays::asList).map(a -> a.contains(address)).orElse(false))
          .findFirst().orElseThrow().pid();
      Set<String> names = Arrays.stream(Files.readString(Path.of("/proc/" + pid + "/environ")).split("\0"))
          .filter(e -> !e.isEmpty()).map(e -> e.substring(0, e.indexOf('='))).collect(Collectors.toSet());

      assertThat(System.getenv()).isNotEmpty();
      assertThat(LocalBackend.START_ENVIRONMENT).containsAll(names);
      assertThat(names).contains("PATH");
    }
  }

  @Test
  void slowClientsHoldNeitherTheClaimApiNorTheLauncherListenerForLong() throws Exception {
    try (Sidecar sidecar = SidecarFixture.start(dir.resolve("work"), 1, "5s")) {
      SidecarFixture.awaitWarm(sidecar, 1);
      List<Socket> slow = new ArrayList<>();
      try {
        for (int i = 0; i < 40; i++) {
          Socket s = new Socket("127.0.0.1", sidecar.httpAddress().getPort());
          s.getOutputStream().write('P');
          slow.add(s);
          Socket l = new Socket("127.0.0.1", sidecar.responseListener().address().port());
          l.getOutputStream().write('x');
          slow.add(l);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long t0 = System.nanoTime();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(sidecar.url() + "/healthz"))
            .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        // Every slow connection is closed by the sidecar, not left open.
        for (Socket s : slow) {
          assertThat(closedByPeer(s)).isTrue();
        }
      } finally {
        for (Socket s : slow) {
          s.close();
        }
      }
    }
  }

  /** Whether the other side closes the connection (EOF or reset) within 15 s. */
  private static boolean closedByPeer(Socket s) throws Exception {
    s.setSoTimeout(15_000);
    InputStream in = s.getInputStream();
    try {
      while (in.read() >= 0) {
        // an error answer, then the close
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (java.net.SocketException e) {
      return true;
    }
  }

  @Test
  void aSecondClaimForAKernelIdWhoseKernelStillRunsGetsNoSecondKernel() throws Exception {
    try (Sidecar sidecar = SidecarFixture.start(dir.resolve("work"), 2, "5s");
        GatewayStandIn eg = new GatewayStandIn()) {
      SidecarFixture.awaitWarm(sidecar, 2);
      String kernelId = UUID.randomUUID().toString();
      Map<String, String> env = Map.of("KERNEL_USERNAME", "alice");

      SidecarFixture.Answer first = SidecarFixture.claim(sidecar, eg, kernelId, env);
      LauncherResponse handed = eg.await(kernelId, Duration.ofSeconds(10));
      SidecarFixture.Answer second = SidecarFixture.claim(sidecar, eg, kernelId, env);

      assertThat(first.status()).isEqualTo(200);
      assertThat(second.status()).isEqualTo(404);
      assertThat(second.body().path("reason").asText()).isEqualTo("duplicate_kernel_id");
      assertThat(eg.deliveries()).isEqualTo(1);
      // Once that kernel ended (EG restarting it), the id is served again.
      SidecarFixture.shutdown(handed);
      SidecarFixture.awaitWarm(sidecar, 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> handed.pid().stream()
          .mapToObj(ProcessHandle::of).allMatch(Optional::isEmpty));
      SidecarFixture.Answer restart = SidecarFixture.claim(sidecar, eg, kernelId, env);
      assertThat(restart.status()).as(restart.body().toString()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).until(() -> eg.deliveries() == 2);
      // the stand-in delivered last is the restart's kernel: stop it as EG would
      ProcessHandle.allProcesses()
          .filter(p -> p.info().arguments().map(a -> java.util.Arrays.asList(a).contains(restart.body().path("pool_kernel").asText())).orElse(false))
          .forEach(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void namespacesAClientMakesUpNeverBecomeMetricSeriesOrLaunchHistory() throws Exception {
    try (Sidecar sidecar = SidecarFixture.start(dir.resolve("work"), 1, "5s");
        GatewayStandIn eg = new GatewayStandIn()) {
      SidecarFixture.awaitWarm(sidecar, 1);
      int before = sidecar.metrics().render().length();
      for (int i = 0; i < 200; i++) {
        SidecarFixture.Answer a = SidecarFixture.claim(sidecar, eg, "k-" + i, Map.of("KERNEL_NAMESPACE", "made-up-" + i));
        assertThat(a.body().path("reason").asText()).isEqualTo("unknown_namespace");
      }

      String metrics = sidecar.metrics().render();
      assertThat(metrics).doesNotContain("made-up-");
      // a few series of their own ("other", the rejection reason), not one per made-up namespace (200 would add over 10 kB)
      assertThat(metrics.length() - before).as("bytes of /metrics added by 200 made-up namespaces").isLessThan(1000);
      assertThat(sidecar.registry().count(MemberState.WARM)).isEqualTo(1);
    }
  }
}
