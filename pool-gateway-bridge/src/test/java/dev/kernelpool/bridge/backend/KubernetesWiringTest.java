package dev.kernelpool.bridge.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kernelpool.bridge.config.SidecarConfig;
import dev.kernelpool.core.quota.FootprintRule;
import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.k8s.cluster.KubeClients;
import dev.kernelpool.k8s.testing.FakeApiServer;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pool pods start small only where a claim can resize them to what its launch asked for. */
class KubernetesWiringTest {
  private static final Resources SMALL = Resources.parse("cpu=100m,memory=256Mi");
  private final FakeApiServer server = FakeApiServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  private static SidecarConfig config(String kubernetes) {
    return SidecarConfig.parseYaml("backend: kubernetes\nkubernetes: {" + kubernetes + "}\n");
  }

  private FootprintRule footprint(String kubernetes, String url) throws Exception {
    return KubernetesWiring.footprint(config(kubernetes), KubeClients.connect(Optional.of(url), Duration.ofSeconds(2)));
  }

  @Test
  void smallWhereTheServerResizesPodsInPlace() throws Exception {
    assertThat(footprint("", server.url()).initial()).isEqualTo(SMALL);
  }

  @Test
  void fullWhereItCannotWhereResizeIsOffAndWhereTheServerCannotBeAsked() throws Exception {
    server.setResizeSupported(false);
    assertThat(footprint("", server.url()).initial().size()).as("no pods/resize").isZero();
    server.setResizeSupported(true);
    assertThat(footprint("resize: 'off'", server.url()).initial().size()).as("resize: off").isZero();
    assertThat(footprint("", "http://127.0.0.1:9").initial().size()).as("no answer").isZero();
  }
}
