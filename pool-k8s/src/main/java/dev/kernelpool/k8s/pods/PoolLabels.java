package dev.kernelpool.k8s.pods;

/**
 * The labels and annotations pool pods carry. Pool pods also carry EG's {@code app:
 * enterprise-gateway}, so one informer sees both EG's kernel pods and the pool's; {@code component}
 * is {@code kernel-pool} until a claim makes it EG's {@code kernel} and adds {@code kernel_id}.
 */
public final class PoolLabels {
  private PoolLabels() {}

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGER = "kernel-pool";
  /** Which sidecar deployment owns the pod: two pools in one cluster never touch each other's pods. */
  public static final String POOL = "kernel-pool.dev/pool";
  public static final String PROFILE = "kernel-pool.dev/profile";
  public static final String STATE = "kernel-pool.dev/state";
  public static final String KERNELSPEC = "kernel-pool.dev/kernelspec";
  /** On a connection Secret: the pool pod it belongs to. */
  public static final String POD = "kernel-pool.dev/pod";
  /** On a connection Secret: the namespace of the pool pod it belongs to (the Secret lives in the sidecar's). */
  public static final String POD_NAMESPACE = "kernel-pool.dev/pod-namespace";

  public static final String STATE_STARTING = "starting";
  public static final String STATE_WARM = "warm";
  public static final String STATE_CLAIMED = "claimed";

  // EG's own labels on kernel pods.
  public static final String APP = "app";
  public static final String APP_EG = "enterprise-gateway";
  public static final String COMPONENT = "component";
  public static final String COMPONENT_KERNEL = "kernel";
  public static final String COMPONENT_POOL = "kernel-pool";
  public static final String KERNEL_ID = "kernel_id";

  /** The full profile, as JSON, so a restarted sidecar knows what every pod it made is. */
  public static final String PROFILE_SPEC = "kernel-pool.dev/profile-spec";
  public static final String CLAIMED_BY = "kernel-pool.dev/claimed-by";
  public static final String CLAIMED_AT = "kernel-pool.dev/claimed-at";
  public static final String RESIZE = "kernel-pool.dev/resize";

  /** The selector of every pod of one pool. */
  public static String poolSelector(String pool) {
    return MANAGED_BY + "=" + MANAGER + "," + POOL + "=" + pool;
  }
}
