package dev.kernelpool.k8s.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateRunning;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerExitTest {
  private static V1ContainerStatus ended(String name, String reason, int code) {
    return new V1ContainerStatus().name(name).state(new V1ContainerState().terminated(new V1ContainerStateTerminated().reason(reason).exitCode(code)));
  }

  private static V1Pod pod(V1ContainerStatus... statuses) {
    return new V1Pod().status(new V1PodStatus().phase("Succeeded").containerStatuses(List.of(statuses)));
  }

  @Test
  void anEndedKernelContainerIsDescribedByTheKubeletsReasonAndItsExitCode() {
    assertThat(ContainerExit.describe(pod(ended("kernel", "OOMKilled", 0)))).isEqualTo("OOMKilled, exit 0");
    assertThat(ContainerExit.describe(pod(ended("kernel", null, 137)))).isEqualTo("exit 137");
    assertThat(ContainerExit.describe(pod(ended("kernel", "Error", 1),
        new V1ContainerStatus().name("side").state(new V1ContainerState().running(new V1ContainerStateRunning())))))
        .as("several containers: each ended one by name").isEqualTo("kernel: Error, exit 1");
    V1Pod evicted = pod(ended("kernel", "Error", 137));
    evicted.getStatus().phase("Failed").reason("Evicted").message("The node was low on resource: memory. ");
    assertThat(ContainerExit.describe(evicted)).as("the kubelet's eviction names the pod")
        .isEqualTo("Evicted: The node was low on resource: memory.; Error, exit 137");
    assertThat(ContainerExit.describe(new V1Pod())).isEmpty();
  }
}
