package dev.kernelpool.bridge.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kernelpool.core.snapshot.MemberState;
import dev.kernelpool.k8s.testing.ClusterExtension;
import dev.kernelpool.k8s.testing.InMemoryCluster;
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
}
