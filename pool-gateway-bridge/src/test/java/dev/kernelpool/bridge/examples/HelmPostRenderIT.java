package dev.kernelpool.bridge.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kernelpool.bridge.eg.EnterpriseGateway;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.util.Yaml;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code examples/kubernetes/helm/post-render.sh} run as Helm runs a post-renderer, on EG 3.3.0's
 * own chart rendered by a real Helm with {@code examples/kubernetes/helm/values.yaml}: the install
 * the guide gives, short of a cluster ({@code DocumentedDeploymentIT} applies it to one).
 */
class HelmPostRenderIT {
  @Test
  void theSidecarItsVolumesAndTheKernelspecMountsAreAddedToWhatTheChartRenders() throws Exception {
    EgChart.requireKubectl();
    String rendered = EgChart.template(EgChart.chart(EnterpriseGateway.home()), "enterprise-gateway", "enterprise-gateway",
        List.of(EgChart.VALUES), Map.of());
    String out = EgChart.postRender(rendered);

    List<Object> objects = Yaml.loadAll(out);
    // the chart's objects all pass through; only its Deployment changes
    assertThat(objects).hasSameSizeAs(Yaml.loadAll(rendered)).hasAtLeastOneElementOfType(V1Service.class)
        .hasAtLeastOneElementOfType(V1ServiceAccount.class);
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
