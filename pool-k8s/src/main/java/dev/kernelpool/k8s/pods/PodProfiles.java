package dev.kernelpool.k8s.pods;

import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.PoolProfile;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Reads the profile of a kernel pod. A pool pod carries its profile in an annotation; an EG kernel
 * pod's profile is read from what EG's kernel-pod template rendered: {@code KERNEL_NAME}, the image,
 * {@code runAsUser}/{@code runAsGroup}, the kernel container's requests and limits, its volume
 * mounts (as {@code name:mountPath}) and the service account (none named is {@code default}, as
 * the API server fills it in).
 */
public final class PodProfiles {
  static final String SERVICE_ACCOUNT_MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";

  private PodProfiles() {}

  public static Optional<PoolProfile> of(V1Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    if (annotations != null && annotations.containsKey(PoolLabels.PROFILE_SPEC)) {
      try {
        return Optional.of(ProfileCodec.fromJson(annotations.get(PoolLabels.PROFILE_SPEC)));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    return fromEgPod(pod);
  }

  static Optional<PoolProfile> fromEgPod(V1Pod pod) {
    if (pod.getSpec() == null || pod.getSpec().getContainers() == null || pod.getSpec().getContainers().isEmpty()) {
      return Optional.empty();
    }
    V1Container c = pod.getSpec().getContainers().get(0);
    String kernelspec = env(c, "KERNEL_NAME")
        .or(() -> Optional.ofNullable(pod.getMetadata().getLabels()).map(l -> l.get(PoolLabels.KERNELSPEC)))
        .orElse(null);
    if (kernelspec == null || kernelspec.isBlank() || c.getImage() == null) {
      return Optional.empty();
    }
    Map<String, Long> resources = new TreeMap<>();
    if (c.getResources() != null) {
      Quantities.addAll(resources, c.getResources().getRequests(), "");
      Quantities.addAll(resources, c.getResources().getLimits(), "limits.");
    }
    List<String> volumes = new ArrayList<>();
    if (c.getVolumeMounts() != null) {
      for (V1VolumeMount m : c.getVolumeMounts()) {
        // the service-account token the API server's admission mounts into every pod (a
        // "<sa>-token-xxxxx" Secret before 1.21, a projected "kube-api-access-xxxxx" after): a pool
        // pod gets its own the same way, so it is no part of the profile
        if (!m.getName().startsWith("kube-api-access-") && !SERVICE_ACCOUNT_MOUNT.equals(m.getMountPath())) {
          volumes.add(m.getName() + ":" + m.getMountPath());
        }
      }
    }
    String sa = pod.getSpec().getServiceAccountName();
    try {
      return Optional.of(new PoolProfile(
          pod.getMetadata().getNamespace(), kernelspec, c.getImage(),
          id(pod.getSpec().getSecurityContext(), c.getSecurityContext(), true),
          id(pod.getSpec().getSecurityContext(), c.getSecurityContext(), false),
          Resources.ofMilli(resources), volumes, sa == null || sa.isEmpty() ? "default" : sa));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }


  private static OptionalLong id(V1PodSecurityContext pod, V1SecurityContext container, boolean user) {
    Long v = null;
    if (container != null) {
      v = user ? container.getRunAsUser() : container.getRunAsGroup();
    }
    if (v == null && pod != null) {
      v = user ? pod.getRunAsUser() : pod.getRunAsGroup();
    }
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }

  private static Optional<String> env(V1Container c, String name) {
    if (c.getEnv() == null) {
      return Optional.empty();
    }
    return c.getEnv().stream().filter(e -> name.equals(e.getName())).map(V1EnvVar::getValue).filter(v -> v != null).findFirst();
  }
}
