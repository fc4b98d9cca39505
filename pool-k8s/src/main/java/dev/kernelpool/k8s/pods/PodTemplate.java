package dev.kernelpool.k8s.pods;

import dev.kernelpool.core.quota.FootprintRule;
import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.PoolProfile;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerResizePolicy;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds pool pods in the shape of EG's {@code kernel-pod.yaml}, so stock EG kernel images start
 * in them: EG's labels and environment ({@code EG_RESPONSE_ADDRESS}, {@code EG_PUBLIC_KEY}, {@code
 * KERNEL_ID}, {@code KERNEL_NAME}, {@code KERNEL_NAMESPACE}, and the plain {@code RESPONSE_ADDRESS}
 * / {@code PUBLIC_KEY}) pointing at the sidecar, plus the pool's labels and the profile annotation.
 * The container requests the small initial footprint and may be resized in place on claim.
 * Anything else (node selectors, tolerations, pull secrets, volume sources) comes from an optional
 * base pod.
 */
public final class PodTemplate {
  /**
   * @param pool the pool's name, on every pod's {@link PoolLabels#POOL} label
   * @param responseAddress where launchers report: this sidecar's {@code host:port}
   * @param publicKey the sidecar's RSA public key, base64
   * @param base a pod whose spec pool pods start from; volumes a profile mounts must be defined here
   */
  public record Settings(String pool, String responseAddress, String publicKey, FootprintRule footprint, Optional<V1Pod> base) {}

  private final Settings settings;

  public PodTemplate(Settings settings) {
    this.settings = settings;
  }

  /** The pod for pool member {@code name} of {@code profile}; throws IllegalArgumentException if it cannot be built. */
  public V1Pod build(String name, PoolProfile profile) {
    V1PodSpec spec = settings.base().map(b -> copySpec(b.getSpec())).orElseGet(V1PodSpec::new);
    spec.setRestartPolicy("Never");
    if (!profile.serviceAccount().isEmpty()) {
      spec.setServiceAccountName(profile.serviceAccount());
    }
    if (profile.uid().isPresent() || profile.gid().isPresent()) {
      V1PodSecurityContext sc = spec.getSecurityContext() == null ? new V1PodSecurityContext() : spec.getSecurityContext();
      profile.uid().ifPresent(sc::setRunAsUser);
      profile.gid().ifPresent(sc::setRunAsGroup);
      spec.setSecurityContext(sc);
    }
    V1Container kernel = spec.getContainers() != null && !spec.getContainers().isEmpty()
        ? spec.getContainers().get(0) : new V1Container();
    kernel.setName("kernel");
    kernel.setImage(profile.image());
    List<V1EnvVar> env = new ArrayList<>(kernel.getEnv() == null ? List.of() : kernel.getEnv());
    env.removeIf(e -> ENV_NAMES.contains(e.getName()));
    env.addAll(List.of(
        new V1EnvVar().name("EG_RESPONSE_ADDRESS").value(settings.responseAddress()),
        new V1EnvVar().name("EG_PUBLIC_KEY").value(settings.publicKey()),
        new V1EnvVar().name("RESPONSE_ADDRESS").value(settings.responseAddress()),
        new V1EnvVar().name("PUBLIC_KEY").value(settings.publicKey()),
        new V1EnvVar().name("KERNEL_ID").value(name),
        new V1EnvVar().name("KERNEL_NAME").value(profile.kernelspec()),
        new V1EnvVar().name("KERNEL_NAMESPACE").value(profile.namespace())));
    kernel.setEnv(env);
    kernel.setResources(initialResources(profile));
    kernel.setResizePolicy(List.of(
        new V1ContainerResizePolicy().resourceName("cpu").restartPolicy("NotRequired"),
        new V1ContainerResizePolicy().resourceName("memory").restartPolicy("NotRequired")));
    mountVolumes(spec, kernel, profile);
    spec.setContainers(List.of(kernel));
    // client-java's model starts some maps empty; an empty overhead still counts as "set", and an
    // API server without a RuntimeClass that defines one refuses the pod (seen on a real 1.20)
    if (spec.getOverhead() != null && spec.getOverhead().isEmpty()) {
      spec.setOverhead(null);
    }

    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(PoolLabels.MANAGED_BY, PoolLabels.MANAGER);
    labels.put(PoolLabels.POOL, settings.pool());
    labels.put(PoolLabels.PROFILE, profile.hash());
    labels.put(PoolLabels.STATE, PoolLabels.STATE_STARTING);
    labels.put(PoolLabels.APP, PoolLabels.APP_EG);
    labels.put(PoolLabels.COMPONENT, PoolLabels.COMPONENT_POOL);
    if (profile.kernelspec().matches("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?")) {
      labels.put(PoolLabels.KERNELSPEC, profile.kernelspec());
    }
    return new V1Pod().apiVersion("v1").kind("Pod")
        .metadata(new V1ObjectMeta().name(name).namespace(profile.namespace()).labels(labels)
            .annotations(Map.of(PoolLabels.PROFILE_SPEC, ProfileCodec.toJson(profile))))
        .spec(spec);
  }

  private static final List<String> ENV_NAMES =
      List.of("EG_RESPONSE_ADDRESS", "EG_PUBLIC_KEY", "RESPONSE_ADDRESS", "PUBLIC_KEY", "KERNEL_ID", "KERNEL_NAME", "KERNEL_NAMESPACE");

  /** The small footprint as requests, the profile's {@code limits.*} as limits. */
  V1ResourceRequirements initialResources(PoolProfile profile) {
    return requirements(settings.footprint().footprintOf(profile), profile.resources());
  }

  /** The full profile: what a claimed pod is resized to. */
  public static V1ResourceRequirements fullResources(PoolProfile profile) {
    return requirements(profile.resources(), profile.resources());
  }

  private static V1ResourceRequirements requirements(Resources requestsFrom, Resources limitsFrom) {
    Map<String, Quantity> requests = new LinkedHashMap<>();
    Map<String, Quantity> limits = new LinkedHashMap<>();
    requestsFrom.toQuantities().forEach((n, q) -> {
      if (!n.startsWith("limits.") && !n.equals(FootprintRule.PODS)) {
        requests.put(n, Quantity.fromString(q));
      }
    });
    limitsFrom.toQuantities().forEach((n, q) -> {
      if (n.startsWith("limits.")) {
        limits.put(n.substring("limits.".length()), Quantity.fromString(q));
      }
    });
    V1ResourceRequirements r = new V1ResourceRequirements().requests(requests);
    if (!limits.isEmpty()) {
      r.setLimits(limits);
    }
    return r;
  }

  private void mountVolumes(V1PodSpec spec, V1Container kernel, PoolProfile profile) {
    List<V1VolumeMount> mounts = new ArrayList<>();
    List<V1Volume> volumes = new ArrayList<>();
    for (String v : profile.volumes()) {
      int colon = v.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("volume mount '" + v + "' is not name:mountPath");
      }
      String volumeName = v.substring(0, colon);
      V1Volume source = Optional.ofNullable(spec.getVolumes()).orElse(List.of()).stream()
          .filter(x -> volumeName.equals(x.getName())).findFirst()
          .orElseThrow(() -> new IllegalArgumentException(
              "profile mounts volume '" + volumeName + "', which the pool's base pod does not define"));
      volumes.add(source);
      mounts.add(new V1VolumeMount().name(volumeName).mountPath(v.substring(colon + 1)));
    }
    spec.setVolumes(volumes.isEmpty() ? null : volumes);
    kernel.setVolumeMounts(mounts.isEmpty() ? null : mounts);
  }

  private static V1PodSpec copySpec(V1PodSpec spec) {
    if (spec == null) {
      return new V1PodSpec();
    }
    // Round-trip through JSON: client-java models have no copy constructor.
    return io.kubernetes.client.openapi.JSON.deserialize(io.kubernetes.client.openapi.JSON.serialize(spec), V1PodSpec.class);
  }
}
