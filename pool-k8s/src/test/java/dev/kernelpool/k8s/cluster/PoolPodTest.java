package dev.kernelpool.k8s.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kernelpool.core.snapshot.MemberState;
import dev.kernelpool.k8s.pods.PoolLabels;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolPodTest {
  private static V1Pod warmPod(String ready) {
    V1PodStatus status = new V1PodStatus().phase("Running").podIP("10.88.0.7");
    if (ready != null) {
      status.conditions(List.of(new V1PodCondition().type("Initialized").status("True"), new V1PodCondition().type("Ready").status(ready)));
    }
    return new V1Pod()
        .metadata(new V1ObjectMeta().name("kp-1").namespace("team-a").uid("u1").resourceVersion("7").labels(Map.of(
            PoolLabels.MANAGED_BY, PoolLabels.MANAGER, PoolLabels.POOL, "kernel-pool", PoolLabels.STATE, PoolLabels.STATE_WARM,
            PoolLabels.KERNELSPEC, "python3")))
        .spec(new V1PodSpec().containers(List.of(new V1Container().name("kernel").image("kernel-py:1"))))
        .status(status);
  }

  @Test
  void aWarmPodIsOfferedUntilItsNodesControllerMarksItNotReadyThenItIsOnItsWayOutForThePlanner() {
    PoolPod ready = PoolPod.of(warmPod("True"), "kernel-pool").orElseThrow();
    assertThat(ready.isOffered()).isTrue();
    assertThat(ready.asMember().orElseThrow().state()).isEqualTo(MemberState.WARM);

    for (String notReady : List.of("False", "Unknown")) {
      PoolPod lost = PoolPod.of(warmPod(notReady), "kernel-pool").orElseThrow();
      assertThat(lost.isWarm()).as("still warm by its label: not counted as starting").isTrue();
      assertThat(lost.isOffered()).as("Ready %s: no claim takes it", notReady).isFalse();
      assertThat(lost.asMember().orElseThrow().state()).as("holds its room, serves nothing").isEqualTo(MemberState.TERMINATING);
    }

    PoolPod unknown = PoolPod.of(warmPod(null), "kernel-pool").orElseThrow();
    assertThat(unknown.isOffered()).as("no conditions reported (yet): its label decides").isTrue();
  }
}
