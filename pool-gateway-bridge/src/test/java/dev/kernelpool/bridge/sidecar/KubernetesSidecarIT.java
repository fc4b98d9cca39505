package dev.kernelpool.bridge.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kernelpool.core.snapshot.MemberState;
import dev.kernelpool.bridge.launcher.PayloadException;
import dev.kernelpool.k8s.testing.ClusterExtension;
import dev.kernelpool.k8s.testing.Faults;
import dev.kernelpool.k8s.testing.InMemoryCluster;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared sidecar suite on the in-memory API server, whose kubelet simulator runs real kernels. */
class KubernetesSidecarIT extends KubernetesSidecarSuite {
  @RegisterExtension static final ClusterExtension CLUSTER = ClusterExtension.inMemory(HoldingRuntime::new);

  /**
   * Only this server resizes pods (Kubernetes 1.33+; the real one here is 1.20): a resize the quota
   * refuses fails the claim by default, so the launch goes cold as it would without a pool, rather
   * than handing out a kernel with a tenth of the CPU its launch asked for.
   */
  @Test
  void aResizeTheQuotaRefusesFailsTheClaimRatherThanHandOutASmallerKernel() throws Exception {
    Sidecar sidecar = sidecar("replica-0", 1);
    await().atMost(WAIT).until(() -> sidecar.registry().count(MemberState.WARM) == 1);
    String small = sidecar.registry().all().get(0).id();
    // The leader would see the pool over the tight quota's 95% and evict the warm pod before the
    // claim reaches it (seen on a busy machine: a miss, no_warm_kernel); what is tested is the claim.
    sidecar.setPaused(true);
    ((InMemoryCluster) cluster).server().createQuota(ns, "tight", Map.of("requests.cpu", "500m")); // holds the 100m pod, not its 1 cpu claim

    SidecarFixture.Answer a = SidecarFixture.claim(sidecar, eg, "k-tight", Map.of("KERNEL_NAMESPACE", ns));

    assertThat(a.status()).as(a.body().toString()).isEqualTo(502);
    assertThat(a.body().path("reason").asText()).isEqualTo("resize_failed");
    sidecar.setPaused(false);
    await().atMost(WAIT).until(() -> poolPods().stream().noneMatch(p -> name(p).equals(small)));
  }

  /**
   * A launcher can report within milliseconds of its pod's create, before the sidecar's informer
   * shows the pod: seen when the pod watch was being re-established, and the report was rejected as
   * UNAUTHENTIC, the pod never warm until its start timeout replaced it (2 minutes). Only this server
   * can hold watch events back; the report waits for the informer instead.
   */
  @Test
  void aLaunchReportThatOutrunsTheInformerWaitsForItsPodAndItsPodBecomesWarm() throws Exception {
    Faults faults = ((InMemoryCluster) cluster).server().faults();
    faults.holdWatchEvents(true);
    try {
      Sidecar sidecar = sidecar("replica-0", 1);
      await().atMost(WAIT).until(() -> !poolPods().isEmpty());
      String pod = name(poolPods().get(0));
      // ipykernel prints its banner once started, after its launcher's report
      await().atMost(WAIT).until(() -> Files.isRegularFile(runtime().log(pod))
          && Files.readString(runtime().log(pod)).contains("To connect another client"));
      assertThat(sidecar.registry().all()).as("the informer has shown nothing yet").noneMatch(k -> k.state() == MemberState.WARM);
      assertThat(sidecar.responseListener().rejectedCount(PayloadException.Reason.UNAUTHENTIC)).isZero();
      faults.holdWatchEvents(false);
      await().atMost(WAIT).until(() -> sidecar.registry().count(MemberState.WARM) == 1);
      assertThat(sidecar.registry().all().get(0).id()).isEqualTo(pod);
      assertThat(sidecar.responseListener().rejectedCount(PayloadException.Reason.UNAUTHENTIC)).isZero();
    } finally {
      faults.holdWatchEvents(false);
    }
  }
}
