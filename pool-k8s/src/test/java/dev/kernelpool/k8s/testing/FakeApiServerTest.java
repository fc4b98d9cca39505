package dev.kernelpool.k8s.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Preconditions;
import io.kubernetes.client.openapi.models.V1ResourceQuota;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.util.Config;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.Watch;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fixture checked against the Kubernetes API conventions, through client-java only. */
class FakeApiServerTest {
  private FakeApiServer server;
  private ApiClient client;
  private CoreV1Api core;

  @BeforeEach
  void start() {
    server = FakeApiServer.start(50);
    client = Config.fromUrl(server.url(), false);
    client.setReadTimeout(10_000);
    core = new CoreV1Api(client);
    server.createNamespace("team-a", Map.of("kernel-pool", "on"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static V1Pod pod(String name, Map<String, String> labels, String cpu) {
    return new V1Pod().apiVersion("v1").kind("Pod")
        .metadata(name.endsWith("-") ? new V1ObjectMeta().generateName(name).labels(labels) : new V1ObjectMeta().name(name).labels(labels))
        .spec(new V1PodSpec().containers(List.of(new V1Container().name("kernel").image("python:3")
            .resources(new V1ResourceRequirements().requests(Map.of("cpu", Quantity.fromString(cpu), "memory", Quantity.fromString("256Mi")))))));
  }

  private static int code(ThrowingRunnable r) {
    try {
      r.run();
      return 200;
    } catch (ApiException e) {
      return e.getCode();
    }
  }

  interface ThrowingRunnable {
    void run() throws ApiException;
  }

  @Test
  void createAssignsNamesVersionsAndRefusesDuplicates() throws ApiException {
    V1Pod a = core.createNamespacedPod("team-a", pod("pool-", Map.of("app", "x"), "100m")).execute();
    assertThat(a.getMetadata().getName()).startsWith("pool-").hasSize(10);
    assertThat(a.getMetadata().getUid()).isNotBlank();
    assertThat(a.getMetadata().getNamespace()).isEqualTo("team-a");
    assertThat(a.getStatus().getPhase()).isEqualTo("Pending");
    V1Pod b = core.createNamespacedPod("team-a", pod("fixed", Map.of(), "100m")).execute();
    assertThat(Long.parseLong(b.getMetadata().getResourceVersion())).isGreaterThan(Long.parseLong(a.getMetadata().getResourceVersion()));
    assertThat(code(() -> core.createNamespacedPod("team-a", pod("fixed", Map.of(), "100m")).execute())).isEqualTo(409);
    assertThat(code(() -> core.createNamespacedPod("nowhere", pod("p", Map.of(), "100m")).execute())).isEqualTo(404);
    assertThat(code(() -> core.readNamespacedPod("missing", "team-a").execute())).isEqualTo(404);
  }

  @Test
  void staleResourceVersionsConflictOnUpdatePatchAndDelete() throws ApiException {
    V1Pod created = core.createNamespacedPod("team-a", pod("p1", Map.of(), "100m")).execute();
    String rv = created.getMetadata().getResourceVersion();
    V1Pod updated = core.replaceNamespacedPod("p1", "team-a", created.metadata(created.getMetadata().putLabelsItem("x", "1"))).execute();
    assertThat(updated.getMetadata().getResourceVersion()).isNotEqualTo(rv);
    // The old version is stale now: replace, merge patch and delete naming it all fail with 409.
    V1Pod stale = core.readNamespacedPod("p1", "team-a").execute();
    stale.getMetadata().setResourceVersion(rv);
    assertThat(code(() -> core.replaceNamespacedPod("p1", "team-a", stale).execute())).isEqualTo(409);
    String patch = "{\"metadata\":{\"resourceVersion\":\"" + rv + "\",\"labels\":{\"claimed\":\"yes\"}}}";
    assertThat(code(() -> PatchUtils.patch(V1Pod.class,
        () -> core.patchNamespacedPod("p1", "team-a", new V1Patch(patch)).buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client))).isEqualTo(409);
    assertThat(code(() -> core.deleteNamespacedPod("p1", "team-a")
        .body(new V1DeleteOptions().preconditions(new V1Preconditions().resourceVersion(rv))).execute())).isEqualTo(409);
    // With the current version the patch applies, and null removes a label (RFC 7386).
    String current = updated.getMetadata().getResourceVersion();
    V1Pod patched = PatchUtils.patch(V1Pod.class,
        () -> core.patchNamespacedPod("p1", "team-a",
            new V1Patch("{\"metadata\":{\"resourceVersion\":\"" + current + "\",\"labels\":{\"claimed\":\"yes\",\"x\":null}}}")).buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
    assertThat(patched.getMetadata().getLabels()).containsEntry("claimed", "yes").doesNotContainKey("x");
    assertThat(code(() -> core.deleteNamespacedPod("p1", "team-a").execute())).isEqualTo(200);
    assertThat(code(() -> core.readNamespacedPod("p1", "team-a").execute())).isEqualTo(404);
  }

  @Test
  void podSpecIsImmutableButForTheResizeSubresource() throws ApiException {
    core.createNamespacedPod("team-a", pod("p1", Map.of(), "100m")).execute();
    String bigger = "{\"spec\":{\"containers\":[{\"name\":\"kernel\",\"resources\":{\"requests\":{\"cpu\":\"1\",\"memory\":\"1Gi\"}}}]}}";
    assertThat(code(() -> PatchUtils.patch(V1Pod.class,
        () -> core.patchNamespacedPod("p1", "team-a", new V1Patch(bigger)).buildCall(null),
        V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client))).isEqualTo(422);
    V1Pod resized = PatchUtils.patch(V1Pod.class,
        () -> core.patchNamespacedPodResize("p1", "team-a", new V1Patch(bigger)).buildCall(null),
        V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client);
    assertThat(resized.getSpec().getContainers().get(0).getResources().getRequests().get("cpu").toSuffixedString()).isEqualTo("1");
    assertThat(resized.getSpec().getContainers().get(0).getImage()).isEqualTo("python:3");
    server.setResizeSupported(false);
    assertThat(code(() -> PatchUtils.patch(V1Pod.class,
        () -> core.patchNamespacedPodResize("p1", "team-a", new V1Patch(bigger)).buildCall(null),
        V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client))).isEqualTo(404);
    assertThat(code(() -> PatchUtils.patch(V1Pod.class,
        () -> core.patchNamespacedPod("p1", "team-a", new V1Patch("[{\"op\":\"test\",\"path\":\"/x\",\"value\":1}]")).buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_PATCH, client))).isEqualTo(415);
  }

  @Test
  void labelSelectorsFilterLists() throws ApiException {
    core.createNamespacedPod("team-a", pod("a", Map.of("tier", "pool", "p", "1"), "10m")).execute();
    core.createNamespacedPod("team-a", pod("b", Map.of("tier", "kernel"), "10m")).execute();
    core.createNamespacedPod("team-a", pod("c", Map.of(), "10m")).execute();
    assertThat(names("tier=pool")).containsExactly("a");
    assertThat(names("tier!=pool")).containsExactly("b", "c");
    assertThat(names("tier")).containsExactly("a", "b");
    assertThat(names("!tier")).containsExactly("c");
    assertThat(names("tier in (pool,kernel)")).containsExactly("a", "b");
    assertThat(names("tier notin (pool)")).containsExactly("b", "c");
    assertThat(names("tier=pool,p=1")).containsExactly("a");
    assertThat(core.listPodForAllNamespaces().labelSelector("tier=kernel").execute().getItems()).hasSize(1);
    assertThat(core.listNamespacedPod("team-a").fieldSelector("metadata.name=b").execute().getItems()).hasSize(1);
  }

  private List<String> names(String selector) throws ApiException {
    return core.listNamespacedPod("team-a").labelSelector(selector).execute().getItems().stream()
        .map(p -> p.getMetadata().getName()).toList();
  }

  @Test
  void watchesResumeFromAResourceVersionAndExpireWith410() throws Exception {
    V1PodList list = core.listNamespacedPod("team-a").execute();
    String from = list.getMetadata().getResourceVersion();
    core.createNamespacedPod("team-a", pod("w1", Map.of("k", "v"), "10m")).execute();
    core.deleteNamespacedPod("w1", "team-a").execute();
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Watch<V1Pod> watch = Watch.createWatch(client,
        core.listNamespacedPod("team-a").watch(true).resourceVersion(from).timeoutSeconds(2).buildCall(null),
        new com.google.gson.reflect.TypeToken<Watch.Response<V1Pod>>() {}.getType())) {
      for (Watch.Response<V1Pod> e : watch) {
        seen.add(e.type + " " + e.object.getMetadata().getName());
        if (seen.size() == 2) {
          break;
        }
      }
    }
    assertThat(seen).containsExactly("ADDED w1", "DELETED w1");

    for (int i = 0; i < 60; i++) { // more changes than the 50 the history keeps
      core.createNamespacedPod("team-a", pod("x" + i, Map.of(), "1m")).execute();
    }
    try (Watch<V1Pod> watch = Watch.createWatch(client,
        core.listNamespacedPod("team-a").watch(true).resourceVersion(from).timeoutSeconds(2).buildCall(null),
        new com.google.gson.reflect.TypeToken<Watch.Response<V1Pod>>() {}.getType())) {
      Watch.Response<V1Pod> first = watch.next();
      assertThat(first.type).isEqualTo("ERROR");
      assertThat(first.status.getCode()).isEqualTo(410);
      assertThat(first.status.getReason()).isEqualTo("Expired");
    }
  }

  @Test
  void aWatchWithASelectorSeesObjectsLeaveAndEnterIt() throws Exception {
    core.createNamespacedPod("team-a", pod("m", Map.of("state", "warm"), "10m")).execute();
    String from = core.listNamespacedPod("team-a").execute().getMetadata().getResourceVersion();
    patchLabels("m", "{\"state\":\"claimed\"}");
    patchLabels("m", "{\"state\":\"warm\"}");
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Watch<V1Pod> watch = Watch.createWatch(client,
        core.listNamespacedPod("team-a").labelSelector("state=warm").watch(true).resourceVersion(from).timeoutSeconds(2).buildCall(null),
        new com.google.gson.reflect.TypeToken<Watch.Response<V1Pod>>() {}.getType())) {
      for (Watch.Response<V1Pod> e : watch) {
        seen.add(e.type);
        if (seen.size() == 2) {
          break;
        }
      }
    }
    assertThat(seen).containsExactly("DELETED", "ADDED");
  }

  private void patchLabels(String name, String labels) throws ApiException {
    PatchUtils.patch(V1Pod.class,
        () -> core.patchNamespacedPod(name, "team-a", new V1Patch("{\"metadata\":{\"labels\":" + labels + "}}")).buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
  }

  @Test
  void quotaAdmissionRefusesPodsOverQuotaAndKeepsUsageCurrent() throws ApiException {
    server.createQuota("team-a", "compute", Map.of("requests.cpu", "1", "pods", "3"));
    core.createNamespacedPod("team-a", pod("q1", Map.of(), "600m")).execute();
    ApiException over = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class,
        () -> core.createNamespacedPod("team-a", pod("q2", Map.of(), "500m")).execute());
    assertThat(over.getCode()).isEqualTo(403);
    assertThat(over.getResponseBody()).contains("exceeded quota: compute").contains("requested: requests.cpu=500m")
        .contains("used: requests.cpu=600m").contains("limited: requests.cpu=1");
    V1ResourceQuota quota = core.readNamespacedResourceQuota("compute", "team-a").execute();
    assertThat(quota.getStatus().getUsed().get("requests.cpu").toSuffixedString()).isEqualTo("600m");
    assertThat(quota.getStatus().getUsed().get("pods").toSuffixedString()).isEqualTo("1");
    // Without a cpu request the pod cannot be charged: "must specify".
    V1Pod none = pod("q3", Map.of(), "1m");
    none.getSpec().getContainers().get(0).setResources(new V1ResourceRequirements());
    ApiException unspecified = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class,
        () -> core.createNamespacedPod("team-a", none).execute());
    assertThat(unspecified.getCode()).isEqualTo(403);
    assertThat(unspecified.getResponseBody()).contains("must specify requests.cpu");
    // A resize is admitted on its difference.
    String tooBig = "{\"spec\":{\"containers\":[{\"name\":\"kernel\",\"resources\":{\"requests\":{\"cpu\":\"1500m\",\"memory\":\"256Mi\"}}}]}}";
    assertThat(code(() -> PatchUtils.patch(V1Pod.class,
        () -> core.patchNamespacedPodResize("q1", "team-a", new V1Patch(tooBig)).buildCall(null),
        V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client))).isEqualTo(403);
    core.deleteNamespacedPod("q1", "team-a").execute();
    assertThat(core.readNamespacedResourceQuota("compute", "team-a").execute().getStatus().getUsed().get("requests.cpu").toSuffixedString())
        .isEqualTo("0");
    server.setQuotaStatus(false);
    server.createQuota("team-a", "other", Map.of("pods", "10"));
    assertThat(core.readNamespacedResourceQuota("other", "team-a").execute().getStatus()).isNull();
  }

  @Test
  void aLimitRangeGivesPodsWithoutRequestsItsDefaultsBeforeQuotaAdmission() throws ApiException {
    server.createQuota("team-a", "compute", Map.of("requests.cpu", "4", "requests.memory", "8Gi"));
    server.create(ResourceType.LIMIT_RANGES, "team-a", "{\"metadata\":{\"name\":\"kernels\"},\"spec\":{\"limits\":[{"
        + "\"type\":\"Container\",\"defaultRequest\":{\"cpu\":\"250m\"},\"default\":{\"cpu\":\"1\",\"memory\":\"1Gi\"}}]}}");
    V1Pod none = pod("lr1", Map.of(), "1m");
    none.getSpec().getContainers().get(0).setResources(new V1ResourceRequirements());

    V1Pod created = core.createNamespacedPod("team-a", none).execute();

    V1ResourceRequirements r = created.getSpec().getContainers().get(0).getResources();
    assertThat(r.getRequests().get("cpu").toSuffixedString()).isEqualTo("250m");
    assertThat(r.getRequests().get("memory").toSuffixedString()).as("the default limit, as no default request").isEqualTo("1Gi");
    assertThat(r.getLimits().get("cpu").toSuffixedString()).isEqualTo("1");
    // a pod that names its requests keeps them
    assertThat(core.createNamespacedPod("team-a", pod("lr2", Map.of(), "600m")).execute()
        .getSpec().getContainers().get(0).getResources().getRequests().get("cpu").toSuffixedString()).isEqualTo("600m");
  }

  @Test
  void informersListOnceThenResumeWatchesAndRelistOnlyAfter410() throws Exception {
    ApiClient watchClient = Config.fromUrl(server.url(), false);
    watchClient.setReadTimeout(0);
    CoreV1Api watching = new CoreV1Api(watchClient);
    SharedInformerFactory factory = new SharedInformerFactory(watchClient);
    SharedIndexInformer<V1Pod> informer = factory.sharedIndexInformerFor(
        p -> watching.listNamespacedPod("team-a").resourceVersion(p.resourceVersion).watch(p.watch)
            .timeoutSeconds(p.timeoutSeconds).allowWatchBookmarks(true).buildCall(null),
        V1Pod.class, V1PodList.class);
    List<String> events = new CopyOnWriteArrayList<>();
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(V1Pod obj) {
        events.add("add " + obj.getMetadata().getName());
      }

      @Override
      public void onUpdate(V1Pod oldObj, V1Pod newObj) {}

      @Override
      public void onDelete(V1Pod obj, boolean deletedFinalStateUnknown) {
        events.add("delete " + obj.getMetadata().getName());
      }
    });
    factory.startAllRegisteredInformers();
    try {
      await().atMost(Duration.ofSeconds(10)).until(informer::hasSynced);
      core.createNamespacedPod("team-a", pod("i1", Map.of(), "1m")).execute();
      await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("add i1"));
      assertThat(server.count(r -> r.verb().equals("list"))).isEqualTo(1);

      server.faults().dropWatches();
      core.createNamespacedPod("team-a", pod("i2", Map.of(), "1m")).execute();
      await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("add i2"));
      assertThat(server.count(r -> r.verb().equals("list"))).as("a dropped watch resumes without a list").isEqualTo(1);

      // Changes the informer has not seen are compacted away while it is cut off: it must list again.
      server.faults().setDown(true);
      server.delete(ResourceType.PODS, "team-a", "i1");
      server.compactHistory();
      server.faults().setDown(false);
      await().atMost(Duration.ofSeconds(20)).until(() -> events.contains("delete i1"));
      assertThat(server.count(r -> r.verb().equals("list"))).as("410 makes the informer list again").isGreaterThanOrEqualTo(2);
    } finally {
      factory.stopAllRegisteredInformers();
    }
  }

  @Test
  void faultSwitchesAnswerWithErrorsAndRecover() throws ApiException {
    server.faults().fail(r -> r.verb().equals("list"), 500, 1);
    assertThat(code(() -> core.listNamespacedPod("team-a").execute())).isEqualTo(500);
    assertThat(code(() -> core.listNamespacedPod("team-a").execute())).isEqualTo(200);
    server.faults().setDown(true);
    assertThat(code(() -> core.readNamespace("team-a").execute())).isEqualTo(503);
    server.faults().setDown(false);
    assertThat(code(() -> core.readNamespace("team-a").execute())).isEqualTo(200);
    server.faults().setLatency(Duration.ofMillis(300));
    long t0 = System.nanoTime();
    core.readNamespace("team-a").execute();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(300);
  }

  @Test
  void deletingANamespaceDeletesWhatIsInIt() throws ApiException {
    core.createNamespacedPod("team-a", pod("d1", Map.of(), "1m")).execute();
    core.deleteNamespace("team-a").execute();
    assertThat(server.list(ResourceType.PODS, "team-a", "")).isEmpty();
    assertThat(code(() -> core.readNamespace("team-a").execute())).isEqualTo(404);
  }

  @Test
  void kubeletSimulatorRunsPodsAndMarksThemFailedWhenTheyExit() throws Exception {
    List<Runnable> exits = new CopyOnWriteArrayList<>();
    KubeletSimulator.PodRuntime runtime = new KubeletSimulator.PodRuntime() {
      @Override
      public void start(com.fasterxml.jackson.databind.node.ObjectNode pod, Runnable exited) {
        exits.add(exited);
      }

      @Override
      public void stop(String namespace, String name) {}
    };
    KubeletSimulator kubelet = new KubeletSimulator(server, runtime, "127.0.0.1");
    try {
      core.createNamespacedPod("team-a", pod("k1", Map.of(), "1m")).execute();
      await().atMost(Duration.ofSeconds(10)).until(() -> "Running".equals(core.readNamespacedPod("k1", "team-a").execute().getStatus().getPhase()));
      assertThat(core.readNamespacedPod("k1", "team-a").execute().getStatus().getPodIP()).isEqualTo("127.0.0.1");
      await().until(() -> exits.size() == 1);
      exits.get(0).run();
      await().atMost(Duration.ofSeconds(10)).until(() -> "Failed".equals(core.readNamespacedPod("k1", "team-a").execute().getStatus().getPhase()));
    } finally {
      kubelet.close();
    }
  }
}
