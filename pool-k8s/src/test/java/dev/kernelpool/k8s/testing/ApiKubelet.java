package dev.kernelpool.k8s.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Binding;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.PatchUtils;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kubelet's part, done through a real API server: a Node, binding each new pod to it, its status
 * (Running with a loopback IP of its own, then Failed when its process exits), and finishing
 * graceful deletion once its process is stopped. Pods run through a {@link
 * KubeletSimulator.PodRuntime}, as with the in-memory server.
 */
public final class ApiKubelet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiKubelet.class);
  private static final String NODE = "kubelet-sim";

  private final ApiClient client;
  private final CoreV1Api api;
  private final KubeletSimulator.PodRuntime runtime;
  private final ObjectMapper json = new ObjectMapper();
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final AtomicInteger ips = new AtomicInteger(1);
  private final Thread loop;
  private volatile boolean closed;
  private volatile boolean holdDeletions;

  public ApiKubelet(ApiClient admin, KubeletSimulator.PodRuntime runtime) throws ApiException {
    this.client = admin;
    this.api = new CoreV1Api(admin);
    this.runtime = runtime;
    try {
      api.createNode(new V1Node().apiVersion("v1").kind("Node").metadata(new V1ObjectMeta().name(NODE))).execute();
    } catch (ApiException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
    loop = new Thread(this::run, "api-kubelet");
    loop.setDaemon(true);
    loop.start();
  }

  private void run() {
    while (!closed) {
      try {
        for (V1Pod pod : api.listPodForAllNamespaces().execute().getItems()) {
          step(pod);
        }
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      } catch (ApiException | RuntimeException e) {
        if (!closed) {
          LOG.debug("kubelet pass failed: {}", e.getMessage());
        }
      }
    }
  }

  private void step(V1Pod pod) throws ApiException {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    String key = ns + "/" + name;
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      if (holdDeletions) {
        return;
      }
      if (running.remove(key)) {
        runtime.stop(ns, name);
      }
      api.deleteNamespacedPod(name, ns).body(new V1DeleteOptions().gracePeriodSeconds(0L)).execute();
      return;
    }
    if (pod.getSpec().getNodeName() == null) {
      try {
        api.createNamespacedBinding(ns, new V1Binding().apiVersion("v1").kind("Binding").metadata(new V1ObjectMeta().name(name))
            .target(new V1ObjectReference().apiVersion("v1").kind("Node").name(NODE))).execute();
      } catch (RuntimeException e) {
        // the API answers with a Status the generated client cannot read as a Binding: the binding took
      }
      return;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Pending".equals(phase) && !running.contains(key)) {
      int n = ips.getAndIncrement();
      String ip = "127.3." + (n / 250) + "." + (n % 250 + 2);
      String status = "{\"status\":{\"phase\":\"Running\",\"podIP\":\"" + ip + "\",\"podIPs\":[{\"ip\":\"" + ip + "\"}],"
          + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}";
      V1Pod updated = PatchUtils.patch(V1Pod.class,
          () -> api.patchNamespacedPodStatus(name, ns, new V1Patch(status)).buildCall(null),
          V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client);
      running.add(key);
      try {
        runtime.start((ObjectNode) json.readTree(io.kubernetes.client.openapi.JSON.serialize(updated)), () -> exited(ns, name));
      } catch (Exception e) {
        LOG.warn("pod {} did not start: {}", key, e.getMessage());
        exited(ns, name);
      }
    }
  }

  private void exited(String ns, String name) {
    if (closed || !running.remove(ns + "/" + name)) {
      return;
    }
    try {
      PatchUtils.patch(V1Pod.class,
          () -> api.patchNamespacedPodStatus(name, ns, new V1Patch("{\"status\":{\"phase\":\"Failed\"}}")).buildCall(null),
          V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client);
    } catch (ApiException e) {
      LOG.debug("cannot mark {}/{} ended: HTTP {}", ns, name, e.getCode());
    }
  }

  /** On: pods being deleted stay Terminating (their process runs on) until this is switched off. */
  public void holdDeletions(boolean hold) {
    holdDeletions = hold;
  }

  @Override
  public void close() {
    closed = true;
    loop.interrupt();
    for (String key : Set.copyOf(running)) {
      String[] p = key.split("/", 2);
      runtime.stop(p[0], p[1]);
    }
    running.clear();
  }
}
