package dev.kernelpool.bridge.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code kubernetes:} section: how the sidecar finds the API server, names its pool, elects a
 * leader, tells pool pods where to report, and what a claim does when a resize is refused.
 *
 * @param apiUrl the API server; empty means the kubeconfig or the in-cluster service account
 * @param pool the pool's name, on every pool pod's label; two sidecar deployments with different
 *     names never touch each other's pods
 * @param identity this replica's name (default: {@code $POD_NAME}, else the host name)
 * @param leaseNamespace where the leader Lease lives (default: {@code $POD_NAMESPACE}, else {@code default})
 * @param advertiseAddress the {@code host:port} pool pods report to (default: {@code $POD_IP} and
 *     the response listener's port)
 * @param defaultNamespace the namespace of a claim whose request names none
 * @param namespaces namespaces that get the kernelspecs' minimum pools before any launch
 * @param podTemplate a pod YAML in EG's kernel-pod shape that pool pods start from (node
 *     selectors, tolerations, pull secrets, volume sources)
 * @param maxStarting pool pods that may be starting at once per namespace (a fill comes in waves)
 * @param resize {@code auto}: pool pods start with the small footprint ({@code
 *     policy.initialFootprint}) only where the API server resizes pods in place ({@code pods/resize},
 *     Kubernetes 1.33+), else with their profile's full requests, so a claimed kernel always has
 *     what its launch asked for; {@code off}: always the full requests
 * @param resizeFallback when a claimed pod cannot be resized (the quota refuses the difference):
 *     true (the default) fails the claim, so the launch goes cold as without a pool; false hands
 *     the kernel out with its initial requests, smaller than the launch asked for
 * @param claimAnnotations put on a pool pod when it is claimed: EG's kernel-pod template's
 *     annotations (by default {@code cluster-autoscaler.kubernetes.io/safe-to-evict: "false"}, so
 *     the autoscaler does not drain a node under a user's kernel; warm pods stay evictable)
 * @param kubeconfig a kubeconfig file to connect with, when {@code apiUrl} is not given (else
 *     {@code $KUBECONFIG} or the in-cluster service account)
 * @param kernelServiceAccount the service account EG gives a kernel whose launch names none (EG's
 *     {@code EG_DEFAULT_KERNEL_SERVICE_ACCOUNT_NAME}, {@code default} unless set there)
 */
public record KubernetesConfig(
    Optional<String> apiUrl,
    String pool,
    String identity,
    String leaseNamespace,
    Optional<String> advertiseAddress,
    String defaultNamespace,
    List<String> namespaces,
    Optional<Path> podTemplate,
    Resize resize,
    boolean resizeFallback,
    Duration callTimeout,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod,
    Duration debounce,
    Duration resync,
    Duration quotaBackoff,
    Duration historySave,
    int maxStarting,
    Map<String, String> claimAnnotations,
    Optional<Path> kubeconfig,
    String kernelServiceAccount) {

  /** The annotations EG's own kernel-pod template gives every kernel pod. */
  public static final Map<String, String> EG_POD_ANNOTATIONS = Map.of("cluster-autoscaler.kubernetes.io/safe-to-evict", "false");

  /** Whether pool pods may start small and be resized at their claim. */
  public enum Resize {
    AUTO, OFF
  }

  public KubernetesConfig {
    namespaces = List.copyOf(namespaces);
    claimAnnotations = Map.copyOf(claimAnnotations);
  }

  static final String[] KEYS = {"apiUrl", "pool", "identity", "leaseNamespace", "advertiseAddress", "defaultNamespace",
      "namespaces", "podTemplate", "resize", "resizeFallback", "callTimeout", "leaseDuration", "renewDeadline", "retryPeriod",
      "debounce", "resync", "quotaBackoff", "historySave", "maxStarting", "claimAnnotations", "kubeconfig", "kernelServiceAccount"};

  private static Resize resize(String value) {
    return switch (value) {
      case "auto" -> Resize.AUTO;
      case "off", "false" -> Resize.OFF; // YAML 1.1 reads an unquoted off as false
      default -> throw new ConfigException("kubernetes.resize must be auto or off, got '" + value + "'");
    };
  }

  static KubernetesConfig parse(ConfigNode k) {
    k.allowOnly(KEYS);
    String host = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("kernel-pool");
    return new KubernetesConfig(
        Optional.ofNullable(k.string("apiUrl", null)),
        k.string("pool", "kernel-pool"),
        k.string("identity", Optional.ofNullable(System.getenv("POD_NAME")).orElse(host)),
        k.string("leaseNamespace", Optional.ofNullable(System.getenv("POD_NAMESPACE")).orElse("default")),
        Optional.ofNullable(k.string("advertiseAddress", null)),
        k.string("defaultNamespace", "default"),
        k.strings("namespaces"),
        Optional.ofNullable(k.string("podTemplate", null)).map(Path::of),
        resize(k.string("resize", "auto")),
        k.bool("resizeFallback", true),
        k.duration("callTimeout", Duration.ofSeconds(5)),
        k.duration("leaseDuration", Duration.ofSeconds(15)),
        k.duration("renewDeadline", Duration.ofSeconds(10)),
        k.duration("retryPeriod", Duration.ofSeconds(2)),
        k.duration("debounce", Duration.ofMillis(200)),
        k.duration("resync", Duration.ofSeconds(60)),
        k.duration("quotaBackoff", Duration.ofMinutes(2)),
        k.duration("historySave", Duration.ofSeconds(60)),
        k.integer("maxStarting", 20, 1, 100_000),
        k.has("claimAnnotations") ? k.mapping("claimAnnotations", "annotation names to values") : EG_POD_ANNOTATIONS,
        Optional.ofNullable(k.string("kubeconfig", null)).map(Path::of),
        k.string("kernelServiceAccount", "default"));
  }
}
