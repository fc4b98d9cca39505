package dev.kernelpool.bridge.eg;

import dev.kernelpool.bridge.bench.EnterpriseGatewayClient;

import dev.kernelpool.bridge.bench.EnterpriseGatewayRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kernelpool.bridge.bench.EnterpriseGatewayClient.Started;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar gone or frozen while the real Enterprise Gateway launches a pooled kernelspec (the launch
 * script's and the process-proxy plugin's): the
 * user still gets a working kernel (cold), and a claim the sidecar reads after the launch script
 * gave up is never delivered and loses no pool kernel.
 */
class EnterpriseGatewayOutageIT {
  private static final Map<String, String> ALICE = Map.of("KERNEL_USERNAME", "alice");

  @TempDir Path dir;
  private SidecarProcess sidecar;
  private EnterpriseGatewayRunner eg;
  private EnterpriseGatewayClient client;
  private final KernelProcesses processes = new KernelProcesses();

  @BeforeEach
  void start() throws Exception {
    EnterpriseGateway.home(); // skips the suite, with one line, where EG is not given
    sidecar = SidecarProcess.start(dir);
    eg = sidecar.startGateway(dir);
    client = eg.client();
  }

  @AfterEach
  void stop() {
    try {
      if (eg != null) {
        eg.close();
      }
      if (sidecar != null) {
        sidecar.close();
      }
    } finally {
      processes.assertNoneLeft();
    }
  }

  private String startCold(String kernelspec) throws Exception {
    Started s = client.start(kernelspec, ALICE);
    assertThat(s.status()).as("EG's answer: %s\n%s", s.body(), eg.tail()).isEqualTo(201);
    processes.kernel(s.kernelId());
    processes.pid(Long.parseLong(client.run(s.kernelId(), "import os; os.getpid()")));
    assertThat(client.run(s.kernelId(), "6 * 7")).isEqualTo("42");
    return s.kernelId();
  }

  @ParameterizedTest
  @ValueSource(strings = {EnterpriseGatewayRunner.POOLED, EnterpriseGatewayRunner.PLUGIN})
  void withTheSidecarStoppedLaunchesGoColdAndWork(String kernelspec) throws Exception {
    sidecar.close();

    String id = startCold(kernelspec);

    assertThat(client.delete(id)).isEqualTo(204);
  }

  @ParameterizedTest
  @ValueSource(strings = {EnterpriseGatewayRunner.POOLED, EnterpriseGatewayRunner.PLUGIN})
  void aSidecarKilledWithSigkillLeavesNoPoolKernelsButTheClaimedOneLives(String kernelspec) throws Exception {
    Started warm = client.start(kernelspec, ALICE);
    assertThat(warm.status()).isEqualTo(201);
    processes.kernel(warm.kernelId());
    long claimed = Long.parseLong(client.run(warm.kernelId(), "import os; os.getpid()"));
    processes.pid(claimed);
    await().atMost(Duration.ofSeconds(30)).until(() -> sidecar.warm() == 2);
    List<Long> pool = sidecar.kernelPids().stream().filter(pid -> pid != claimed).toList();
    assertThat(pool).hasSize(2);

    sidecar.kill();

    await().atMost(Duration.ofSeconds(15)).until(() -> pool.stream().allMatch(pid -> ProcessHandle.of(pid).isEmpty()));
    assertThat(client.run(warm.kernelId(), "6 * 7")).as("the user's kernel is EG's, not the sidecar's").isEqualTo("42");
    assertThat(client.delete(warm.kernelId())).isEqualTo(204);
  }

  @ParameterizedTest
  @ValueSource(strings = {EnterpriseGatewayRunner.POOLED, EnterpriseGatewayRunner.PLUGIN})
  void aFrozenSidecarNeverDeliversALateClaimAndKeepsItsKernels(String kernelspec) throws Exception {
    List<Long> poolKernels = sidecar.kernelPids();
    assertThat(poolKernels).hasSize(2);
    long frozenAt = System.nanoTime();
    sidecar.freeze();

    String id = startCold(kernelspec);
    // Frozen 8 s in all, well past the script's 2 s: then it reads the claim it was sent.
    await().atMost(Duration.ofSeconds(20)).until(() -> System.nanoTime() - frozenAt > Duration.ofSeconds(8).toNanos());
    sidecar.thaw();

    await().atMost(Duration.ofSeconds(20)).until(() -> sidecar.metric("kernelpool_fallbacks_total", "too_late") == 1);
    assertThat(sidecar.log()).contains("after the launch script's deadline");
    assertThat(sidecar.metric("kernelpool_claims_total", "outcome=\"hit\"")).as("nothing handed over").isZero();
    assertThat(eg.tail()).doesNotContain("has not been registered");
    assertThat(sidecar.warm()).as("the untouched kernels stay in the pool").isEqualTo(2);
    assertThat(sidecar.kernelPids()).containsExactlyInAnyOrderElementsOf(poolKernels);
    assertThat(client.run(id, "1 + 1")).isEqualTo("2");
    assertThat(client.delete(id)).isEqualTo(204);
  }
}
