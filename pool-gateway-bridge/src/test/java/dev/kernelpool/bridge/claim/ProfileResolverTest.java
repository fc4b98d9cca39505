package dev.kernelpool.bridge.claim;

import dev.kernelpool.bridge.config.KernelspecTemplate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProfileResolverTest {
  private final ProfileResolver resolver =
      new ProfileResolver(
          List.of(new KernelspecTemplate("python_k8s", "elyra/kernel-py:3.2", Resources.parse("cpu=1,memory=2Gi"),
              OptionalLong.of(1000), OptionalLong.of(100), List.of(), "", "")),
          "team-a");

  @Test
  void defaultsOfTheKernelspecMatchTheDeclaredProfile() throws Exception {
    PoolProfile p = resolver.resolve("python_k8s", Map.of("KERNEL_USERNAME", "alice", "KERNEL_ID", "x"));

    assertThat(p).isEqualTo(resolver.defaultProfile(resolver.template("python_k8s").orElseThrow()));
  }

  @Test
  void requestValuesOverrideTheDefaultsAndMakeAnotherProfile() throws Exception {
    PoolProfile p =
        resolver.resolve(
            "python_k8s",
            Map.of("KERNEL_NAMESPACE", "team-b", "KERNEL_IMAGE", "img:2", "KERNEL_CPUS", "2", "KERNEL_MEMORY", "4Gi",
                "KERNEL_GPUS", "1", "KERNEL_MEMORY_LIMIT", "8Gi", "KERNEL_UID", "2000"));

    assertThat(p.namespace()).isEqualTo("team-b");
    assertThat(p.image()).isEqualTo("img:2");
    assertThat(p.uid()).hasValue(2000);
    assertThat(p.gid()).hasValue(100);
    assertThat(p.resources()).isEqualTo(Resources.parse("cpu=2,memory=4Gi,nvidia.com/gpu=1,limits.memory=8Gi"));
  }

  @Test
  void volumeMountsAreOrderInsensitive() throws Exception {
    PoolProfile a = resolver.resolve("python_k8s", Map.of("KERNEL_VOLUME_MOUNTS", "[{name: a, mountPath: /a}, {name: b, mountPath: /b}]"));
    PoolProfile b = resolver.resolve("python_k8s", Map.of("KERNEL_VOLUME_MOUNTS", "[{name: b, mountPath: /b}, {name: a, mountPath: /a}]"));

    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(resolver.resolve("python_k8s", Map.of()));
    // The canonical form is what a pod's volume mounts read back as, JSON or YAML flow alike.
    assertThat(a.volumes()).containsExactly("a:/a", "b:/b");
    assertThat(resolver.resolve("python_k8s", Map.of("KERNEL_VOLUME_MOUNTS", "[{\"name\": \"a\", \"mountPath\": \"/a\"}]")).volumes())
        .containsExactly("a:/a");
  }

  @Test
  void volumeMountsWithoutANameOrPathAreRefused() {
    assertThatThrownBy(() -> resolver.resolve("python_k8s", Map.of("KERNEL_VOLUME_MOUNTS", "[{mountPath: /a}]")))
        .isInstanceOf(ProfileResolver.UnresolvableException.class).hasMessageContaining("name and mountPath");
    assertThatThrownBy(() -> resolver.resolve("python_k8s", Map.of("KERNEL_VOLUME_MOUNTS", "home:/home")))
        .isInstanceOf(ProfileResolver.UnresolvableException.class);
  }

  @Test
  void unknownKernelspecAndBadValuesAreUnresolvableWithAReason() {
    assertThatThrownBy(() -> resolver.resolve("r_k8s", Map.of()))
        .isInstanceOfSatisfying(ProfileResolver.UnresolvableException.class, e -> assertThat(e.reason()).isEqualTo("unknown_kernelspec"));
    assertThatThrownBy(() -> resolver.resolve("python_k8s", Map.of("KERNEL_MEMORY", "lots")))
        .isInstanceOfSatisfying(ProfileResolver.UnresolvableException.class, e -> {
          assertThat(e.reason()).isEqualTo("invalid_profile");
          assertThat(e.getMessage()).contains("KERNEL_MEMORY");
        });
    assertThatThrownBy(() -> resolver.resolve("python_k8s", Map.of("KERNEL_UID", "root")))
        .hasMessageContaining("KERNEL_UID is not a number");
  }
}
