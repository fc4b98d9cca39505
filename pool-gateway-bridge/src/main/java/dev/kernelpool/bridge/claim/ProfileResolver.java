package dev.kernelpool.bridge.claim;

import dev.kernelpool.bridge.config.KernelspecTemplate;
import dev.kernelpool.core.resource.InvalidQuantityException;
import dev.kernelpool.core.resource.Quantity;
import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Computes the profile a launch request would produce, as EG's pod template would render it: the
 * kernelspec's defaults overridden by the request's {@code KERNEL_*} values (namespace, image,
 * uid/gid, cpu/memory/GPU requests and limits, volume mounts, service account).
 */
public final class ProfileResolver {
  private final Map<String, KernelspecTemplate> templates = new HashMap<>();
  private final String defaultNamespace;

  public ProfileResolver(List<KernelspecTemplate> templates, String defaultNamespace) {
    for (KernelspecTemplate t : templates) {
      if (this.templates.put(t.name(), t) != null) {
        throw new IllegalArgumentException("kernelspec " + t.name() + " configured twice");
      }
    }
    this.defaultNamespace = defaultNamespace;
  }

  /** A request that cannot produce a pool profile. */
  public static final class UnresolvableException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String reason;

    UnresolvableException(String reason, String message) {
      super(message);
      this.reason = reason;
    }

    /** A short, stable reason for metrics and the script's log. */
    public String reason() {
      return reason;
    }
  }

  public Optional<KernelspecTemplate> template(String kernelspec) {
    return Optional.ofNullable(templates.get(kernelspec));
  }

  /** The default profile of a configured kernelspec in the default namespace. */
  public PoolProfile defaultProfile(KernelspecTemplate t) {
    return new PoolProfile(defaultNamespace, t.name(), t.image(), t.uid(), t.gid(), t.resources(), t.volumes(), t.serviceAccount());
  }

  public PoolProfile resolve(String kernelspec, Map<String, String> env) throws UnresolvableException {
    KernelspecTemplate t = templates.get(kernelspec);
    if (t == null) {
      throw new UnresolvableException("unknown_kernelspec", "kernelspec '" + kernelspec + "' has no pool");
    }
    try {
      Map<String, Long> resources = new TreeMap<>();
      for (int i = 0; i < t.resources().size(); i++) {
        resources.put(t.resources().nameAt(i), t.resources().milliAt(i));
      }
      override(resources, env, "KERNEL_CPUS", "cpu");
      override(resources, env, "KERNEL_MEMORY", "memory");
      override(resources, env, "KERNEL_GPUS", "nvidia.com/gpu");
      override(resources, env, "KERNEL_CPUS_LIMIT", "limits.cpu");
      override(resources, env, "KERNEL_MEMORY_LIMIT", "limits.memory");
      override(resources, env, "KERNEL_GPUS_LIMIT", "limits.nvidia.com/gpu");
      return new PoolProfile(
          env.getOrDefault("KERNEL_NAMESPACE", defaultNamespace),
          kernelspec,
          env.getOrDefault("KERNEL_IMAGE", t.image()),
          id(env, "KERNEL_UID", t.uid()),
          id(env, "KERNEL_GID", t.gid()),
          Resources.ofMilli(resources),
          env.containsKey("KERNEL_VOLUME_MOUNTS") ? mounts(env.get("KERNEL_VOLUME_MOUNTS")) : t.volumes(),
          env.getOrDefault("KERNEL_SERVICE_ACCOUNT_NAME", t.serviceAccount()));
    } catch (IllegalArgumentException e) {
      throw new UnresolvableException("invalid_profile", e.getMessage());
    }
  }

  private static void override(Map<String, Long> resources, Map<String, String> env, String var, String name) {
    String v = env.get(var);
    if (v != null && !v.isBlank()) {
      try {
        resources.put(name, Quantity.parseMilli(v.trim()));
      } catch (InvalidQuantityException e) {
        throw new IllegalArgumentException(var + ": " + e.getMessage());
      }
    }
  }

  private static OptionalLong id(Map<String, String> env, String var, OptionalLong fallback) {
    String v = env.get(var);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return OptionalLong.of(Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(var + " is not a number");
    }
  }

  /**
   * EG passes volume mounts as a YAML/JSON flow list ({@code [{name: home, mountPath: /home/jovyan}]});
   * the canonical form is {@code name:mountPath} per entry, as read back from a pod's volume mounts.
   */
  private static List<String> mounts(String text) {
    java.util.regex.Matcher entry = java.util.regex.Pattern.compile("\\{([^}]*)}").matcher(text);
    List<String> out = new java.util.ArrayList<>();
    while (entry.find()) {
      String name = field(entry.group(1), "name");
      String path = field(entry.group(1), "mountPath");
      if (name == null || path == null) {
        throw new IllegalArgumentException("KERNEL_VOLUME_MOUNTS: every entry needs name and mountPath, got {" + entry.group(1) + "}");
      }
      out.add(name + ":" + path);
    }
    if (out.isEmpty() && !text.replaceAll("[\\s\\[\\]]", "").isEmpty()) {
      throw new IllegalArgumentException("KERNEL_VOLUME_MOUNTS is not a list of {name, mountPath} entries");
    }
    return out.stream().sorted().toList();
  }

  private static String field(String entry, String key) {
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("[\"']?" + key + "[\"']?\\s*:\\s*[\"']?([^,\"']+)[\"']?").matcher(entry);
    return m.find() ? m.group(1).trim() : null;
  }
}
