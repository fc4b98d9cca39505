package dev.kernelpool.k8s.pods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kernelpool.core.snapshot.PoolProfile;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.Yaml;
import org.junit.jupiter.api.Test;

class PodProfilesTest {
  /** An EG kernel pod as a real 1.20 API server stores it: ServiceAccount admission added the token volume. */
  private static final String EG_POD = String.join("\n",
      "apiVersion: v1", "kind: Pod",
      "metadata: {name: alice-1, namespace: team-a, labels: {kernel_id: '1', component: kernel}}",
      "spec:",
      "  serviceAccountName: default",
      "  securityContext: {runAsUser: 1000, runAsGroup: 100}",
      "  containers:",
      "  - name: kernel",
      "    image: elyra/kernel-py:3.3.0",
      "    env: [{name: KERNEL_NAME, value: python_kubernetes_pooled}]",
      "    resources: {requests: {cpu: '1', memory: 1Gi}}",
      "    volumeMounts:",
      "    - {name: data, mountPath: /home/jovyan/data}",
      "    - {name: default-token-tv5v5, mountPath: /var/run/secrets/kubernetes.io/serviceaccount, readOnly: true}",
      "    - {name: kube-api-access-x7k2p, mountPath: /var/run/secrets/kubernetes.io/serviceaccount, readOnly: true}",
      "");

  @Test
  void theServiceAccountTokenTheApiServerMountsIsNoPartOfTheProfile() {
    PoolProfile p = PodProfiles.of(Yaml.loadAs(EG_POD, V1Pod.class)).orElseThrow();
    assertThat(p.kernelspec()).isEqualTo("python_kubernetes_pooled");
    assertThat(p.volumes()).containsExactly("data:/home/jovyan/data");
    assertThat(p.uid()).hasValue(1000);
  }
}
