package dev.kernelpool.k8s.testing;

import static org.awaitility.Awaitility.await;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1ResourceQuota;
import io.kubernetes.client.openapi.models.V1ResourceQuotaSpec;
import io.kubernetes.client.util.PatchUtils;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a test does to a cluster as its administrator, through client-java, the same calls on
 * either server: namespaces, quotas, pods, Events.
 */
public final class ClusterOps {
  private final ApiClient admin;
  private final CoreV1Api core;
  private final boolean serviceAccounts;

  /** @param serviceAccounts the server admits a pod only once its namespace has a default service account */
  ClusterOps(ApiClient admin, boolean serviceAccounts) {
    this.admin = admin;
    this.core = new CoreV1Api(admin);
    this.serviceAccounts = serviceAccounts;
  }

  public CoreV1Api core() {
    return core;
  }

  /** Creates a namespace, ready for pods. */
  public void namespace(String name, Map<String, String> labels) throws ApiException {
    core.createNamespace(new V1Namespace().apiVersion("v1").kind("Namespace")
        .metadata(new V1ObjectMeta().name(name).labels(labels.isEmpty() ? null : new HashMap<>(labels)))).execute();
    if (serviceAccounts) {
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> core.readNamespacedServiceAccount("default", name).execute() != null);
    }
  }

  public void quota(String namespace, String name, Map<String, String> hard) throws ApiException {
    Map<String, Quantity> q = new HashMap<>();
    hard.forEach((k, v) -> q.put(k, Quantity.fromString(v)));
    core.createNamespacedResourceQuota(namespace, new V1ResourceQuota().apiVersion("v1").kind("ResourceQuota")
        .metadata(new V1ObjectMeta().name(name)).spec(new V1ResourceQuotaSpec().hard(q))).execute();
  }

  /** What the quota's status says is used of {@code resource}, as the server keeps it. */
  public Optional<Quantity> quotaUsed(String namespace, String name, String resource) throws ApiException {
    V1ResourceQuota q = core.readNamespacedResourceQuota(name, namespace).execute();
    return q.getStatus() == null || q.getStatus().getUsed() == null ? Optional.empty()
        : Optional.ofNullable(q.getStatus().getUsed().get(resource));
  }

  public List<V1Pod> pods(String namespace, String labelSelector) throws ApiException {
    return core.listNamespacedPod(namespace).labelSelector(labelSelector).execute().getItems();
  }

  public V1Pod createPod(String namespace, V1Pod pod) throws ApiException {
    return core.createNamespacedPod(namespace, pod.apiVersion("v1").kind("Pod")).execute();
  }

  public void deletePod(String namespace, String name) throws ApiException {
    core.deleteNamespacedPod(name, namespace).execute();
  }

  public void labelNamespace(String namespace, String key, String value) throws ApiException {
    PatchUtils.patch(V1Namespace.class,
        () -> core.patchNamespace(namespace, new V1Patch("{\"metadata\":{\"labels\":{\"" + key + "\":\"" + value + "\"}}}")).buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, admin);
  }

  /**
   * Deletes every pod of {@code namespace} at once (grace period 0, as EG deletes kernel pods): on a
   * real node the objects go now and the kubelet kills the containers after, instead of each pod
   * holding its node's room for its whole grace period.
   */
  public void deletePodsNow(String namespace) throws ApiException {
    for (V1Pod pod : core.listNamespacedPod(namespace).execute().getItems()) {
      try {
        core.deleteNamespacedPod(pod.getMetadata().getName(), namespace)
            .body(new V1DeleteOptions().gracePeriodSeconds(0L)).execute();
      } catch (ApiException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
  }

  public void deleteNamespace(String namespace) throws ApiException {
    core.deleteNamespace(namespace).execute();
  }

  public boolean namespaceExists(String namespace) throws ApiException {
    try {
      core.readNamespace(namespace).execute();
      return true;
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  public List<CoreV1Event> events(String namespace) throws ApiException {
    return core.listNamespacedEvent(namespace).execute().getItems();
  }
}
