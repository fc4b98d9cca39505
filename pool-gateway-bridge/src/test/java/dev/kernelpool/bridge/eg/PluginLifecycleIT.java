package dev.kernelpool.bridge.eg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kernelpool.bridge.bench.EnterpriseGatewayClient;
import dev.kernelpool.bridge.bench.EnterpriseGatewayClient.Started;
import dev.kernelpool.bridge.bench.EnterpriseGatewayRunner;
import dev.kernelpool.k8s.testing.Closing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin's warm kernels through the lifecycle paths of EG's that need EG configured for them,
 * each with its own EG 3.3.0 beside the documented sidecar: idle culling, and kernel session
 * persistence (EG killed and started again finds its kernels). A warm kernel must go through both
 * exactly as a cold kernel of EG's own {@code DistributedProcessProxy} does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PluginLifecycleIT {
  private static final Map<String, String> ALICE = Map.of("KERNEL_USERNAME", "alice");
  @TempDir static Path dir;
  private SidecarProcess sidecar;
  private KernelProcesses processes;

  @BeforeAll
  void start() throws Exception {
    EnterpriseGateway.home();
    sidecar = SidecarProcess.start(dir);
  }

  @AfterAll
  void stop() throws Exception {
    Closing.all(sidecar);
  }

  @BeforeEach
  void track() {
    processes = new KernelProcesses();
    await().atMost(Duration.ofSeconds(60)).until(() -> sidecar.warm() == 2);
  }

  @AfterEach
  void nothingLeft() {
    processes.assertNoneLeft();
  }

  /** A warm launch through the plugin, checked to be a hit; the kernel's pid. */
  private long startWarm(EnterpriseGatewayRunner eg, String kernelId) throws Exception {
    assertThat(eg.client().run(kernelId, "1 + 1")).isEqualTo("2");
    long pid = Long.parseLong(eg.client().run(kernelId, "import os; os.getpid()"));
    processes.pid(pid);
    return pid;
  }

  private Started launch(EnterpriseGatewayRunner eg) throws Exception {
    double hits = sidecar.metric("kernelpool_claims_total", "outcome=\"hit\"");
    Started s = eg.client().start(EnterpriseGatewayRunner.PLUGIN, ALICE);
    assertThat(s.status()).as("EG: %s\n%s", s.body(), eg.tail()).isEqualTo(201);
    processes.kernel(s.kernelId());
    assertThat(sidecar.metric("kernelpool_claims_total", "outcome=\"hit\"")).as("a warm kernel served it").isEqualTo(hits + 1);
    return s;
  }

  /** EG's culler shuts an idle warm kernel down as it would a cold one: EG forgets it and its process ends. */
  @Test
  void anIdleWarmKernelIsCulledByEgLikeAColdOne() throws Exception {
    EnterpriseGatewayRunner eg = sidecar.startGateway(Files.createDirectories(dir.resolve("culling")), Map.of(), List.of(
        "--RemoteMappingKernelManager.cull_idle_timeout=3", "--RemoteMappingKernelManager.cull_interval=1",
        "--RemoteMappingKernelManager.cull_connected=True"));
    try {
      Started s = launch(eg);
      long pid = startWarm(eg, s.kernelId());

      await("EG culls the idle kernel").atMost(Duration.ofSeconds(30)).until(() -> eg.client().status(s.kernelId()) == 404);
      await("its process ends").atMost(Duration.ofSeconds(20)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
      assertThat(Files.readString(dir.resolve("culling").resolve(logName(eg))))
          .containsPattern("Culling 'idle' kernel '[^']*' \\(" + s.kernelId() + "\\)");
    } finally {
      eg.close();
    }
  }

  /**
   * EG with kernel session persistence ({@code EG_AVAILABILITY_MODE=standalone}) is killed while a
   * warm kernel runs; started again, it loads the kernel's session (the plugin's class and its
   * process information) and drives the same kernel, its state intact, and deletes it at the end.
   */
  @Test
  void aWarmKernelOutlivesEgsCrashAndTheRestartedEgDrivesItFromItsPersistedSession() throws Exception {
    Path root = Files.createDirectories(dir.resolve("persistence"));
    Map<String, String> persistent = Map.of("EG_AVAILABILITY_MODE", "standalone", "EG_PERSISTENCE_ROOT", root.toString());
    EnterpriseGatewayRunner first = sidecar.startGateway(Files.createDirectories(dir.resolve("first")), persistent, List.of());
    String kernelId;
    long pid;
    try {
      Started s = launch(first);
      kernelId = s.kernelId();
      pid = startWarm(first, kernelId);
      assertThat(first.client().run(kernelId, "x = 6 * 7; x")).isEqualTo("42");
    } finally {
      first.crash();
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("the kernel runs on without EG").contains(true);

    EnterpriseGatewayRunner second = sidecar.startGateway(Files.createDirectories(dir.resolve("second")), persistent, List.of());
    try {
      EnterpriseGatewayClient client = second.client();
      assertThat(client.status(kernelId)).as("the session was loaded: %s", second.tail()).isEqualTo(200);
      assertThat(client.run(kernelId, "x")).as("the same kernel, its state intact").isEqualTo("42");
      assertThat(client.run(kernelId, "import os; os.getpid()")).isEqualTo(Long.toString(pid));
      assertThat(client.delete(kernelId)).isEqualTo(204);
      await().atMost(Duration.ofSeconds(20)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    } finally {
      second.close();
    }
  }

  private static String logName(EnterpriseGatewayRunner eg) {
    return "enterprise-gateway-" + eg.address().substring(eg.address().lastIndexOf(':') + 1) + ".log";
  }
}
