package dev.kernelpool.bridge.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kernelpool.bridge.config.SidecarConfig;
import io.kubernetes.client.openapi.models.V1ClusterRole;
import io.kubernetes.client.openapi.models.V1ClusterRoleBinding;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.RbacV1Subject;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.util.Yaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * examples/kubernetes/ parses with client-java's Yaml, and what its objects reference exists:
 * roles of bindings, ConfigMaps and Secrets of volumes, volumes of mounts, the sidecar's config.
 */
class KubernetesManifestsTest {
  private static final Path DIR = Path.of(System.getProperty("user.dir")).getParent().resolve("examples/kubernetes");
  private static final List<Object> OBJECTS = new ArrayList<>();

  @BeforeAll
  static void load() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        OBJECTS.addAll(Yaml.loadAll(f.toFile()));
      }
    }
  }

  private static <T> List<T> all(Class<T> type) {
    return OBJECTS.stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Test
  void everyFileParsesToTheKindsASetupNeeds() {
    assertThat(OBJECTS).allSatisfy(o -> assertThat(o).isNotNull());
    assertThat(all(V1ClusterRole.class)).hasSize(1);
    assertThat(all(V1ClusterRoleBinding.class)).hasSize(1);
    assertThat(all(V1Role.class)).hasSize(1);
    assertThat(all(V1RoleBinding.class)).hasSize(1);
    assertThat(all(V1Deployment.class)).hasSize(1);
    assertThat(all(V1PodDisruptionBudget.class)).hasSize(1);
    assertThat(all(V1Secret.class)).hasSize(1);
    assertThat(all(V1ConfigMap.class)).hasSize(2);
  }

  @Test
  void rbacGrantsExactlyTheVerbsThePoolUsesAndLeasesAndSecretsOnlyInEgsNamespace() {
    Map<String, Set<String>> granted = new TreeMap<>();
    for (V1PolicyRule r : all(V1ClusterRole.class).get(0).getRules()) {
      for (String res : r.getResources()) {
        granted.computeIfAbsent(res, k -> new TreeSet<>()).addAll(r.getVerbs());
      }
    }
    assertThat(granted).isEqualTo(Map.of(
        "namespaces", Set.of("list", "watch"),
        "resourcequotas", Set.of("list", "watch"),
        "limitranges", Set.of("list"),
        "pods", Set.of("list", "watch", "get", "create", "delete", "patch"),
        "pods/resize", Set.of("patch"),
        "configmaps", Set.of("list", "create", "update"),
        "events", Set.of("create")));
    V1Role leases = all(V1Role.class).get(0);
    assertThat(leases.getRules()).hasSize(2);
    assertThat(leases.getRules().get(0)).satisfies(r -> {
      assertThat(r.getApiGroups()).containsExactly("coordination.k8s.io");
      assertThat(r.getResources()).containsExactly("leases");
      assertThat(r.getVerbs()).containsExactlyInAnyOrder("get", "create", "update");
    });
    // Secrets only here: kernel keys never sit where notebook users can read them
    assertThat(leases.getRules().get(1)).satisfies(r -> {
      assertThat(r.getResources()).containsExactly("secrets");
      assertThat(r.getVerbs()).containsExactlyInAnyOrder("list", "watch", "create", "update", "delete");
    });
    assertThat(leases.getMetadata().getNamespace()).isEqualTo("enterprise-gateway");
  }

  @Test
  void bindingsReferenceRolesThatExistAndEgsServiceAccount() {
    Set<String> clusterRoles = new TreeSet<>(all(V1ClusterRole.class).stream().map(r -> r.getMetadata().getName()).toList());
    Set<String> roles = new TreeSet<>(all(V1Role.class).stream().map(r -> r.getMetadata().getName()).toList());
    List<RbacV1Subject> subjects = new ArrayList<>();
    for (V1ClusterRoleBinding b : all(V1ClusterRoleBinding.class)) {
      assertThat(b.getRoleRef().getKind()).isEqualTo("ClusterRole");
      assertThat(clusterRoles).contains(b.getRoleRef().getName());
      subjects.addAll(b.getSubjects());
    }
    for (V1RoleBinding b : all(V1RoleBinding.class)) {
      assertThat(b.getRoleRef().getKind()).isEqualTo("Role");
      assertThat(roles).contains(b.getRoleRef().getName());
      subjects.addAll(b.getSubjects());
    }
    assertThat(subjects).allSatisfy(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getName()).isEqualTo("enterprise-gateway-sa");
      assertThat(s.getNamespace()).isEqualTo("enterprise-gateway");
    });
  }

  @Test
  void theDeploymentPatchMountsOnlyVolumesItDefinesFromObjectsThatExist() {
    V1Deployment eg = all(V1Deployment.class).get(0);
    var spec = eg.getSpec().getTemplate().getSpec();
    Set<String> volumes = new TreeSet<>(spec.getVolumes().stream().map(V1Volume::getName).toList());
    List<V1Container> containers = new ArrayList<>(spec.getContainers());
    containers.addAll(spec.getInitContainers());
    for (V1Container c : containers) {
      for (V1VolumeMount m : c.getVolumeMounts()) {
        assertThat(volumes).as("volume of mount %s in %s", m.getName(), c.getName()).contains(m.getName());
      }
    }
    Set<String> configMaps = new TreeSet<>(all(V1ConfigMap.class).stream().map(c -> c.getMetadata().getName()).toList());
    Set<String> secrets = new TreeSet<>(all(V1Secret.class).stream().map(c -> c.getMetadata().getName()).toList());
    for (V1Volume v : spec.getVolumes()) {
      if (v.getConfigMap() != null) {
        assertThat(configMaps).contains(v.getConfigMap().getName());
      }
      if (v.getSecret() != null) {
        assertThat(secrets).contains(v.getSecret().getSecretName());
      }
    }
    V1Container sidecar = spec.getContainers().stream().filter(c -> c.getName().equals("kernel-pool")).findFirst().orElseThrow();
    assertThat(sidecar.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(sidecar.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(sidecar.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(sidecar.getEnv()).extracting(e -> e.getName()).contains("POD_NAME", "POD_NAMESPACE", "POD_IP");
    assertThat(eg.getSpec().getReplicas()).isEqualTo(2);
  }

  @Test
  void theConfigMapsHoldAWorkingSidecarConfigAndThePooledKernelspec() throws IOException {
    V1ConfigMap config = all(V1ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals("kernel-pool-config")).findFirst().orElseThrow();
    SidecarConfig parsed = SidecarConfig.parseYaml(config.getData().get("sidecar.yaml"));
    assertThat(parsed.backend()).isEqualTo(SidecarConfig.Backend.KUBERNETES);
    assertThat(parsed.tokenFile()).contains(Path.of("/var/run/kernel-pool/token"));
    V1ConfigMap specs = all(V1ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals("kernel-pool-kernelspecs")).findFirst().orElseThrow();
    JsonNode kernel = new ObjectMapper().readTree(specs.getData().get("kernel.json"));
    assertThat(kernel.path("argv").get(3).asText()).isEqualTo("/usr/local/share/kernel-pool/kernel-pool-launch.py");
    assertThat(parsed.kernelspecs()).extracting(k -> k.name()).contains(kernel.path("argv").get(5).asText());
    List<String> argv = new java.util.ArrayList<>();
    kernel.path("argv").forEach(a -> argv.add(a.asText()));
    assertThat(argv).containsSubsequence("--token-file", "/var/run/kernel-pool/token");
  }

  /**
   * Two bugs the deployment on a real node showed (DocumentedDeploymentIT): the sidecar shares EG's
   * pod, so its response listener cannot take EG's response port (8877 in EG's chart), and the
   * non-root containers can read the 0440 token Secret only through the pod's fsGroup.
   */
  @Test
  void theSidecarSharesEgsPodWithoutItsPortAndReadsTheTokenThroughFsGroup() throws IOException {
    V1ConfigMap config = all(V1ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals("kernel-pool-config")).findFirst().orElseThrow();
    SidecarConfig parsed = SidecarConfig.parseYaml(config.getData().get("sidecar.yaml"));
    var spec = all(V1Deployment.class).get(0).getSpec().getTemplate().getSpec();
    V1Container sidecar = spec.getContainers().stream().filter(c -> c.getName().equals("kernel-pool")).findFirst().orElseThrow();

    assertThat(parsed.listenerPort()).isNotEqualTo(8877).isNotEqualTo(8888).isNotEqualTo(parsed.httpPort());
    assertThat(sidecar.getPorts()).filteredOn(p -> "kp-response".equals(p.getName()))
        .extracting(p -> p.getContainerPort()).containsExactly(parsed.listenerPort());
    assertThat(spec.getSecurityContext().getFsGroup()).isEqualTo(10001L);
    assertThat(spec.getVolumes()).filteredOn(v -> v.getSecret() != null)
        .allSatisfy(v -> assertThat(v.getSecret().getDefaultMode()).isEqualTo(0440));
  }

  /** The keys of EG's chart values this directory sets: its values.yaml has these and no extra-container keys. */
  private static final Set<String> CHART_KEYS = Set.of("deployment.replicas", "kernel.allowedKernels", "kernel.launchTimeout");

  @Test
  void theHelmValuesAreKeysOfEgsChartAndAllowThePooledKernelspec() throws IOException {
    JsonNode values = new ObjectMapper(new YAMLFactory()).readTree(DIR.resolve("helm/values.yaml").toFile());
    Set<String> keys = new TreeSet<>();
    values.properties().forEach(group -> group.getValue().properties().forEach(k -> keys.add(group.getKey() + "." + k.getKey())));
    assertThat(CHART_KEYS).containsAll(keys);

    V1ConfigMap kernelspecs = all(V1ConfigMap.class).stream()
        .filter(c -> c.getMetadata().getName().equals("kernel-pool-kernelspecs")).findFirst().orElseThrow();
    String pooled = new ObjectMapper().readTree(kernelspecs.getData().get("kernel.json")).path("argv").get(5).asText();
    List<String> allowed = new ArrayList<>();
    values.path("kernel").path("allowedKernels").forEach(k -> allowed.add(k.asText()));
    assertThat(allowed).contains(pooled);
  }

  @Test
  void thePostRendererPatchesWithTheDeploymentPatchOfThisDirectory() throws IOException {
    Path script = DIR.resolve("helm/post-render.sh");
    String text = Files.readString(script);

    assertThat(Files.isExecutable(script)).isTrue();
    assertThat(text).startsWith("#!/bin/sh").contains("set -eu").contains("kubectl kustomize");
    assertThat(text).contains("$here/../eg-deployment-patch.yaml");
    assertThat(DIR.resolve("eg-deployment-patch.yaml")).exists();
    V1Deployment patch = all(V1Deployment.class).get(0);
    assertThat(patch.getMetadata().getName()).isEqualTo("enterprise-gateway");
  }
}
