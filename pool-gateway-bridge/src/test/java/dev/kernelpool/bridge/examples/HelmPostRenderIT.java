package dev.kernelpool.bridge.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.util.Yaml;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code examples/kubernetes/helm/post-render.sh} run as Helm runs a post-renderer (the chart's
 * rendering on stdin, the result on stdout), with the real {@code kubectl kustomize}, on EG 3.3.0's
 * chart rendered with {@code examples/kubernetes/helm/values.yaml}. The rendering is checked in,
 * written by hand from the chart's templates (no helm here; see its header).
 */
class HelmPostRenderIT {
  private static final Path SCRIPT = Path.of("../examples/kubernetes/helm/post-render.sh");
  private static final Path RENDERED = Path.of("src/test/resources/helm/eg-chart-3.3.0-rendered.yaml");

  @Test
  void theSidecarItsVolumesAndTheKernelspecMountsAreAddedToWhatTheChartRenders() throws Exception {
    if (!Files.isExecutable(Path.of("/usr/bin/kubectl")) && !Files.isExecutable(Path.of("/usr/local/bin/kubectl"))) {
      String line = "Helm post-render suite skipped: no kubectl (apt-get install kubernetes-client; .ci/deps does)";
      System.err.println(line);
      Assumptions.abort(line);
    }
    Process p = new ProcessBuilder("sh", SCRIPT.toString()).redirectInput(RENDERED.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isZero();

    List<Object> objects = Yaml.loadAll(out);
    assertThat(objects).hasSize(3).hasAtLeastOneElementOfType(V1Service.class).hasAtLeastOneElementOfType(V1ServiceAccount.class);
    V1Deployment eg = objects.stream().filter(V1Deployment.class::isInstance).map(V1Deployment.class::cast).findFirst().orElseThrow();
    assertThat(eg.getSpec().getReplicas()).isEqualTo(2);
    assertThat(eg.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntValue()).isZero();
    List<V1Container> containers = eg.getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).extracting(V1Container::getName).containsExactlyInAnyOrder("enterprise-gateway", "kernel-pool");
    assertThat(eg.getSpec().getTemplate().getSpec().getInitContainers()).extracting(V1Container::getName)
        .containsExactlyInAnyOrder("kernel-pool-scripts", "kernel-pool-eg-launcher");
    assertThat(eg.getSpec().getTemplate().getSpec().getVolumes()).extracting(V1Volume::getName).containsExactlyInAnyOrder(
        "kernel-pool-scripts", "kernel-pool-eg-launcher", "kernel-pool-tmp", "kernel-pool-config", "kernel-pool-kernelspecs",
        "kernel-pool-token");
    V1Container gateway = containers.stream().filter(c -> c.getName().equals("enterprise-gateway")).findFirst().orElseThrow();
    // the chart's own container keeps what the chart gave it, and gets the pooled kernelspec's mounts
    assertThat(gateway.getImage()).isEqualTo("elyra/enterprise-gateway:3.3.0");
    assertThat(gateway.getEnv()).anyMatch(e -> e.getName().equals("EG_ALLOWED_KERNELS") && e.getValue().contains("python_kubernetes_pooled"));
    assertThat(gateway.getVolumeMounts()).extracting(V1VolumeMount::getMountPath).containsExactlyInAnyOrder(
        "/usr/local/share/kernel-pool",
        "/usr/local/share/jupyter/kernels/python_kubernetes_pooled/kernel.json",
        "/usr/local/share/jupyter/kernels/python_kubernetes_pooled/scripts",
        "/var/run/kernel-pool");
    V1Container sidecar = containers.stream().filter(c -> c.getName().equals("kernel-pool")).findFirst().orElseThrow();
    assertThat(sidecar.getArgs()).containsExactly("serve", "--config", "/etc/kernel-pool/sidecar.yaml");
    assertThat(sidecar.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
  }
}
