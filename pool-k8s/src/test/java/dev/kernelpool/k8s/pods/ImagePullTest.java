package dev.kernelpool.k8s.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateWaiting;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImagePullTest {
  private static V1Pod waiting(String reason, String message) {
    return new V1Pod().status(new V1PodStatus().phase("Pending").containerStatuses(List.of(new V1ContainerStatus().name("kernel")
        .state(new V1ContainerState().waiting(new V1ContainerStateWaiting().reason(reason).message(message))))));
  }

  @Test
  void theKubeletGivingUpOnAnImageIsAFailureAFirstErrImagePullIsNot() {
    assertThat(ImagePull.failure(waiting("ImagePullBackOff", "Back-off pulling image \"r/x:1\""))).contains("ImagePullBackOff: Back-off pulling image \"r/x:1\"");
    assertThat(ImagePull.failure(waiting("InvalidImageName", null))).contains("InvalidImageName");
    assertThat(ImagePull.failure(waiting("ErrImagePull", "not found"))).as("the kubelet retries it").isEmpty();
    assertThat(ImagePull.failure(waiting("ContainerCreating", null))).isEmpty();
    assertThat(ImagePull.failure(new V1Pod())).isEmpty();
  }
}
