package dev.kernelpool.k8s.pods;

import dev.kernelpool.core.snapshot.PoolProfile;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Preconditions;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.util.PatchUtils;
import java.util.List;
import java.util.Map;

/**
 * The writes the pool makes to pool pods and their connection Secrets. Each is one API call with
 * the client's timeout; ApiExceptions go to the caller, who knows what a 403, 404 or 409 means.
 */
public final class PoolPods {
  /** On a connection Secret: the uid of the pod it was written for. */
  public static final String POD_UID = "kernel-pool.dev/pod-uid";

  /** The Secret key holding a warm kernel's connection info (the launcher's report, decrypted). */
  public static final String CONNECTION_KEY = "connection.json";

  private final ApiClient client;
  private final CoreV1Api api;
  private final PodTemplate template;
  private final String pool;
  private final String vault;
  private final PodProof proof;

  /**
   * @param vault the namespace connection Secrets live in: the sidecar's own, where no notebook
   *     user can read them
   * @param proof signs every pod the pool creates
   */
  public PoolPods(ApiClient client, PodTemplate template, String pool, String vault, PodProof proof) {
    this.client = client;
    this.api = new CoreV1Api(client);
    this.template = template;
    this.pool = pool;
    this.vault = vault;
    this.proof = proof;
  }

  /** The API the pool's writes go through. */
  public CoreV1Api api() {
    return api;
  }

  /** The namespace connection Secrets live in. */
  public String vault() {
    return vault;
  }

  /**
   * Marks a pod the pool just created as the pool's: the proof of its uid (the API server assigned
   * it, so no one without the key can prove a pod of their own).
   */
  public V1Pod prove(V1Pod created) throws ApiException {
    return patch(created.getMetadata().getNamespace(), created.getMetadata().getName(),
        "{\"metadata\":{\"annotations\":{\"" + PodProof.ANNOTATION + "\":\"" + proof.of(created.getMetadata().getUid()) + "\"}}}");
  }

  public V1Pod create(String name, PoolProfile profile) throws ApiException {
    return api.createNamespacedPod(profile.namespace(), template.build(name, profile)).execute();
  }

  /** Deletes a pod only if it is still at {@code resourceVersion}: a pod claimed meanwhile answers 409 and stays. */
  public void delete(String namespace, String name, String resourceVersion) throws ApiException {
    V1DeleteOptions options = new V1DeleteOptions().apiVersion("v1").kind("DeleteOptions");
    if (resourceVersion != null) {
      options.preconditions(new V1Preconditions().resourceVersion(resourceVersion));
    }
    api.deleteNamespacedPod(name, namespace).body(options).execute();
  }

  /** The connection Secret's name for pod {@code pod} of {@code namespace}, in the vault namespace. */
  public static String secretName(String namespace, String pod) {
    return "kp-conn-" + namespace + "-" + pod;
  }

  /**
   * Offers a started pod for claims: stores its connection info in a Secret in the vault
   * namespace (labelled with the pod; the leader deletes it once the pod is gone or claimed), then
   * labels the pod warm. Only a starting pod becomes warm, checked
   * before the Secret is written and again by the label patch, which carries the version read as
   * starting: a late or replayed launch report can never touch a pod a claim got meanwhile.
   */
  public void publishWarm(String namespace, String pod, String podUid, byte[] connectionJson) throws ApiException {
    V1Pod current = readStarting(namespace, pod);
    V1Secret secret = new V1Secret().apiVersion("v1").kind("Secret").type("Opaque")
        .metadata(new V1ObjectMeta().name(secretName(namespace, pod)).namespace(vault)
            .labels(Map.of(PoolLabels.MANAGED_BY, PoolLabels.MANAGER, PoolLabels.POOL, pool, PoolLabels.POD, pod,
                PoolLabels.POD_NAMESPACE, namespace))
            .annotations(Map.of(POD_UID, podUid)))
        .data(Map.of(CONNECTION_KEY, connectionJson));
    writeSecret(vault, secret);
    for (int attempt = 0; ; attempt++) {
      try {
        patch(namespace, pod, "{\"metadata\":{\"resourceVersion\":\"" + current.getMetadata().getResourceVersion()
            + "\",\"labels\":{\"" + PoolLabels.STATE + "\":\"" + PoolLabels.STATE_WARM + "\"}}}");
        return;
      } catch (ApiException e) {
        if (e.getCode() != 409 || attempt >= 4) {
          throw e;
        }
        current = readStarting(namespace, pod); // the kubelet changed it meanwhile, or a claim did
      }
    }
  }

  private V1Pod readStarting(String namespace, String pod) throws ApiException {
    V1Pod current = api.readNamespacedPod(pod, namespace).execute();
    String state = current.getMetadata().getLabels() == null ? null : current.getMetadata().getLabels().get(PoolLabels.STATE);
    if (!PoolLabels.STATE_STARTING.equals(state)) {
      throw new ApiException(409, "pod " + namespace + "/" + pod + " is " + state + ", not starting");
    }
    return current;
  }

  /** Creates the Secret, or replaces an earlier report's; one deleted in between is created again. */
  private void writeSecret(String namespace, V1Secret secret) throws ApiException {
    String name = secret.getMetadata().getName();
    for (int attempt = 0; ; attempt++) {
      try {
        api.createNamespacedSecret(namespace, secret).execute();
        return;
      } catch (ApiException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
      try {
        api.replaceNamespacedSecret(name, namespace, secret).execute();
        return;
      } catch (ApiException e) {
        if (e.getCode() != 404 || attempt >= 2) {
          throw e;
        }
      }
    }
  }

  public void deleteSecret(String namespace, String name) throws ApiException {
    api.deleteNamespacedSecret(name, namespace).execute();
  }

  public V1Pod patch(String namespace, String name, String mergePatch) throws ApiException {
    return PatchUtils.patch(V1Pod.class,
        () -> api.patchNamespacedPod(name, namespace, new V1Patch(mergePatch)).buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
  }

  public V1Pod patchResize(String namespace, String name, String strategicPatch) throws ApiException {
    return PatchUtils.patch(V1Pod.class,
        () -> api.patchNamespacedPodResize(name, namespace, new V1Patch(strategicPatch)).buildCall(null),
        V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client);
  }
}
