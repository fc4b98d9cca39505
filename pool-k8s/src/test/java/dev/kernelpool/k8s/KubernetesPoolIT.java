package dev.kernelpool.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kernelpool.core.evict.LifecycleRules;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kernelpool.core.plan.DemandRules;
import dev.kernelpool.core.plan.PoolSizing;
import dev.kernelpool.core.plan.QuietRefill;
import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.LaunchSeries;
import dev.kernelpool.core.snapshot.PoolProfile;
import dev.kernelpool.k8s.history.HistoryCodec;
import dev.kernelpool.k8s.history.LaunchHistoryKeeper;
import java.time.Instant;
import dev.kernelpool.core.plan.PoolPolicy;
import dev.kernelpool.k8s.claim.PodClaimer;
import dev.kernelpool.k8s.cluster.PoolPod;
import dev.kernelpool.k8s.pods.PoolLabels;
import dev.kernelpool.k8s.reconcile.Reconciler;
import dev.kernelpool.k8s.testing.FakeApiServer;
import dev.kernelpool.k8s.testing.KubeletSimulator;
import dev.kernelpool.k8s.testing.ResourceType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubernetes.client.openapi.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Kubernetes pool against the in-memory API server, with a kubelet that runs nothing. */
class KubernetesPoolIT {
  private FakeApiServer server;
  private KubeletSimulator kubelet;
  private PoolTestbed bed;

  @BeforeEach
  void start() {
    server = FakeApiServer.start();
    kubelet = new KubeletSimulator(server, KubeletSimulator.NOTHING, "127.0.0.1");
    bed = new PoolTestbed(server);
  }

  @AfterEach
  void stop() {
    bed.close();
    kubelet.close();
    server.close();
  }

  private List<ObjectNode> poolPods() {
    return server.list(ResourceType.PODS, PoolTestbed.NS, PoolLabels.poolSelector("kp"));
  }

  private static String label(ObjectNode pod, String key) {
    return pod.path("metadata").path("labels").path(key).asText(null);
  }

  /** Publishes every starting pool pod as warm, as the sidecar does once its kernel answered. */
  private void warmAll(KubernetesPool pool, int expected) {
    await().atMost(Duration.ofSeconds(20)).until(() -> pool.cache().pods().size() >= expected);
    for (ObjectNode p : poolPods()) {
      String name = p.path("metadata").path("name").asText();
      await().until(() -> pool.pod(PoolTestbed.NS, name).isPresent());
      PoolPod pod = pool.pod(PoolTestbed.NS, name).orElseThrow();
      if (!pod.isWarm() && !pod.isClaimed()) {
        try {
          pool.publishWarm(pod, ("{\"pod\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8));
        } catch (ApiException e) {
          throw new AssertionError(e);
        }
      }
    }
  }

  @Test
  void theLeaderCreatesPoolPodsInEgsShapeWithTheSmallFootprint() {
    bed.namespaceWithQuota("100", "400Gi", "1000");
    KubernetesPool pool = bed.start("replica-0", PoolTestbed.policy(3));
    await().atMost(Duration.ofSeconds(20)).until(() -> poolPods().size() == 3);
    ObjectNode pod = poolPods().get(0);
    assertThat(label(pod, PoolLabels.APP)).isEqualTo("enterprise-gateway");
    assertThat(label(pod, PoolLabels.COMPONENT)).isEqualTo("kernel-pool");
    assertThat(label(pod, PoolLabels.KERNEL_ID)).isNull();
    assertThat(label(pod, PoolLabels.PROFILE)).isEqualTo(PoolTestbed.PYTHON.hash());
    ObjectNode container = (ObjectNode) pod.path("spec").path("containers").get(0);
    assertThat(container.path("resources").path("requests").path("cpu").asText()).isEqualTo("100m");
    assertThat(container.path("resources").path("requests").path("memory").asText()).isEqualTo("256Mi");
    List<String> env = new ArrayList<>();
    container.path("env").forEach(e -> env.add(e.path("name").asText() + "=" + e.path("value").asText()));
    String name = pod.path("metadata").path("name").asText();
    assertThat(env).contains("EG_RESPONSE_ADDRESS=10.0.0.1:8877", "RESPONSE_ADDRESS=10.0.0.1:8877",
        "PUBLIC_KEY=PUBLICKEY", "KERNEL_ID=" + name, "KERNEL_NAME=python3", "KERNEL_NAMESPACE=team-a");
    assertThat(pool.isLeader()).isTrue();
    // Events tell the story.
    await().until(() -> !server.list(ResourceType.EVENTS, PoolTestbed.NS, "").isEmpty());
  }

  @Test
  void exactlyOnceAcrossThreeReplicas() throws Exception {
    bed.namespaceWithQuota("100", "400Gi", "1000");
    List<KubernetesPool> replicas = List.of(
        bed.start("replica-0", PoolTestbed.policy(50)), bed.start("replica-1", PoolTestbed.policy(50)),
        bed.start("replica-2", PoolTestbed.policy(50)));
    await().atMost(Duration.ofSeconds(30)).until(() -> poolPods().size() == 50);
    KubernetesPool leader = replicas.stream().filter(KubernetesPool::isLeader).findFirst().orElseThrow();
    assertThat(replicas.stream().filter(KubernetesPool::isLeader).count()).isEqualTo(1);
    warmAll(leader, 50);
    for (KubernetesPool r : replicas) {
      await().atMost(Duration.ofSeconds(20)).until(() -> r.warmPods().size() == 50);
    }
    // Stop refilling, so the 50 are all there is.
    replicas.forEach(r -> r.reconciler().close());

    ExecutorService claimers = Executors.newFixedThreadPool(48);
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger hits = new AtomicInteger();
    AtomicInteger misses = new AtomicInteger();
    Map<String, String> winners = new ConcurrentHashMap<>();
    Set<String> duplicate = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 1000; i++) {
      KubernetesPool replica = replicas.get(i % 3);
      String kernelId = "eg-" + i;
      claimers.execute(() -> {
        try {
          go.await();
          for (PoolPod pod : replica.warmPods()) {
            if (replica.claimer().claim(pod.namespace(), pod.name(), pod.resourceVersion(), kernelId, Map.of())
                == PodClaimer.Result.WON) {
              hits.incrementAndGet();
              if (winners.putIfAbsent(pod.name(), kernelId) != null) {
                duplicate.add(pod.name());
              }
              return;
            }
          }
          misses.incrementAndGet();
        } catch (Exception e) {
          misses.incrementAndGet();
        }
      });
    }
    go.countDown();
    claimers.shutdown();
    assertThat(claimers.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
    assertThat(hits.get()).isEqualTo(50);
    assertThat(misses.get()).isEqualTo(950);
    assertThat(duplicate).isEmpty();
    // The API server agrees: every pool pod carries exactly the kernel id of its one winner.
    for (ObjectNode p : poolPods()) {
      assertThat(label(p, PoolLabels.KERNEL_ID)).isEqualTo(winners.get(p.path("metadata").path("name").asText()));
      assertThat(label(p, PoolLabels.COMPONENT)).isEqualTo("kernel");
    }
  }

  @Test
  void underQuotaPressureThePoolDrainsToKeepTheNinetyFivePercentRule() {
    bed.namespaceWithQuota("10", "40Gi", "100");
    bed.start("replica-0", PoolTestbed.policy(5));
    await().atMost(Duration.ofSeconds(20)).until(() -> poolPods().size() == 5);
    // Someone else's workload takes usage outside the pool to 94% of the cpu quota: 9.4 of 10.
    server.create(ResourceType.PODS, PoolTestbed.NS, "{\"metadata\":{\"name\":\"big\"},\"spec\":{\"containers\":"
        + "[{\"name\":\"c\",\"image\":\"x\",\"resources\":{\"requests\":{\"cpu\":\"9400m\",\"memory\":\"1Gi\"}}}]}}");
    await().atMost(Duration.ofSeconds(20)).until(() -> poolPods().size() <= 1);
    ObjectNode quota = server.get(ResourceType.RESOURCE_QUOTAS, PoolTestbed.NS, "compute");
    assertThat(dev.kernelpool.core.resource.Quantity.parseMilli(quota.path("status").path("used").path("requests.cpu").asText()))
        .isLessThanOrEqualTo(9500);
  }

  @Test
  void aQuotaThatRefusesPoolPodsCausesNoRetryStorm() throws InterruptedException {
    bed.namespaceWithQuota("10", "40Gi", "100");
    server.setQuotaStatus(false); // the pool cannot see usage it does not watch ...
    server.create(ResourceType.PODS, PoolTestbed.NS, // ... like this unlabelled pod, which fills the quota
        "{\"metadata\":{\"name\":\"hog\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\",\"resources\":{\"requests\":{\"cpu\":\"9950m\",\"memory\":\"1Gi\"}}}]}}");
    server.clearRequests();
    bed.start("replica-0", PoolTestbed.policy(3));
    await().atMost(Duration.ofSeconds(10)).until(() -> server.count(r -> r.verb().equals("create") && r.resource().equals("pods")) >= 1);
    Thread.sleep(3000); // several resyncs (every 2 s) and triggers pass; the quota back-off is 5 s
    assertThat(server.count(r -> r.verb().equals("create") && r.resource().equals("pods"))).isEqualTo(1);
    assertThat(poolPods()).isEmpty();
  }

  @Test
  void apiFailuresBackOffAndRecover() {
    bed.namespaceWithQuota("100", "400Gi", "1000");
    server.faults().fail(r -> r.verb().equals("create") && r.resource().equals("pods"), 500, 3);
    bed.start("replica-0", PoolTestbed.policy(2));
    await().atMost(Duration.ofSeconds(30)).until(() -> poolPods().size() == 2);
    assertThat(server.count(r -> r.verb().equals("create") && r.resource().equals("pods"))).isGreaterThanOrEqualTo(5);
  }

  @Test
  void callsThatTimeOutBackOffAndTheLeaderRecoversWhenTheApiAnswersAgain() {
    bed.namespaceWithQuota("100", "400Gi", "1000");
    KubernetesPool pool = bed.start("replica-0", PoolTestbed.policy(2));
    await().atMost(Duration.ofSeconds(20)).until(() -> poolPods().size() == 2);
    server.faults().setLatency(Duration.ofSeconds(6)); // beyond the 5 s call timeout
    server.clearRequests();
    server.delete(ResourceType.PODS, PoolTestbed.NS, poolPods().get(0).path("metadata").path("name").asText());
    await().atMost(Duration.ofSeconds(20)).until(() -> server.count(r -> r.verb().equals("create") && r.resource().equals("pods")) >= 1);
    assertThat(poolPods()).hasSize(1);
    server.faults().setLatency(Duration.ZERO);
    await().atMost(Duration.ofSeconds(40)).until(() -> poolPods().size() == 2 && pool.isLeader());
  }

  @Test
  void aLargeFillComesInWavesOfAtMostMaxStartingPods() throws InterruptedException {
    bed.namespaceWithQuota("100", "400Gi", "1000");
    Reconciler.Settings fewAtOnce = new Reconciler.Settings(PoolTestbed.FAST.debounce(), PoolTestbed.FAST.resync(),
        PoolTestbed.FAST.historySave(), PoolTestbed.FAST.initialBackoff(), PoolTestbed.FAST.maxBackoff(),
        PoolTestbed.FAST.quotaBackoff(), 4);
    KubernetesPool pool = bed.start("replica-0", PoolTestbed.policy(10), fewAtOnce);
    await().atMost(Duration.ofSeconds(20)).until(() -> poolPods().size() == 4);
    Thread.sleep(2500); // a resync passes: nothing is warm, so no fifth pod
    assertThat(poolPods()).hasSize(4);
    warmAll(pool, 4);
    await().atMost(Duration.ofSeconds(20)).until(() -> poolPods().size() == 8);
    warmAll(pool, 8);
    await().atMost(Duration.ofSeconds(20)).until(() -> poolPods().size() == 10);
  }

  @Test
  void aSteadyStateReconcileReadsNothingBeyondItsWatches() throws InterruptedException {
    bed.namespaceWithQuota("100", "400Gi", "1000");
    KubernetesPool pool = bed.start("replica-0", PoolTestbed.policy(3));
    await().atMost(Duration.ofSeconds(20)).until(() -> poolPods().size() == 3);
    warmAll(pool, 3);
    await().atMost(Duration.ofSeconds(10)).until(() -> pool.warmPods().size() == 3);
    long before = pool.reconciler().reconciles();
    server.clearRequests();
    await().atMost(Duration.ofSeconds(20)).until(() -> pool.reconciler().reconciles() >= before + 3);
    assertThat(server.count(r -> r.isNonWatch() && !r.resource().equals("leases") && !r.resource().equals("events")
        && !r.resource().equals("configmaps"))).isZero();
  }

  @Test
  void aNewLeaderTakesOverAndARestartAdoptsThePodsItFinds() {
    bed.namespaceWithQuota("100", "400Gi", "1000");
    KubernetesPool first = bed.start("replica-0", PoolTestbed.policy(4));
    await().atMost(Duration.ofSeconds(20)).until(() -> poolPods().size() == 4);
    Set<String> before = names();
    first.close();
    KubernetesPool second = bed.start("replica-1", PoolTestbed.policy(4));
    await().atMost(Duration.ofSeconds(20)).until(second::isLeader);
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> names().equals(before));
  }

  private Set<String> names() {
    Set<String> out = new java.util.TreeSet<>();
    poolPods().forEach(p -> out.add(p.path("metadata").path("name").asText()));
    return out;
  }

  /** A saved launch history of the pool "kp" in {@code namespace}, as the leader persists it. */
  private void savedHistory(String namespace, Map<PoolProfile, LaunchSeries> launches) {
    ObjectNode cm = new ObjectMapper().createObjectNode();
    cm.putObject("metadata").put("name", "kp-history")
        .putObject("labels").put(PoolLabels.MANAGED_BY, PoolLabels.MANAGER).put(PoolLabels.POOL, "kp");
    cm.putObject("data").put(LaunchHistoryKeeper.DATA_KEY, HistoryCodec.encode(Instant.now(), launches));
    server.create(ResourceType.CONFIG_MAPS, namespace, cm.toString());
  }

  private static LaunchSeries hoursAgo(int... hours) {
    long[] t = new long[hours.length];
    for (int i = 0; i < hours.length; i++) {
      t[i] = Instant.now().minus(Duration.ofHours(hours[hours.length - 1 - i])).toEpochMilli();
    }
    return LaunchSeries.ofEpochMillis(t);
  }

  @Test
  void aSmallNamespaceWithTiedProfilesKeepsTheKernelspecTheClusterLaunchesMost() {
    bed.namespaceWithQuota("100", "400Gi", "1000");
    server.createNamespace("team-b", Map.of());
    server.createQuota("team-b", "compute", Map.of("requests.cpu", "100", "requests.memory", "400Gi", "pods", "10"));
    Resources small = Resources.parse("cpu=1,memory=1Gi");
    savedHistory(PoolTestbed.NS, Map.of(PoolTestbed.PYTHON, hoursAgo(1, 2, 3, 4, 5, 6, 7, 8)));
    // team-b launched python3 and ir once each: a tie, and room (10% of 10 pods) for one kernel.
    savedHistory("team-b", Map.of(
        PoolProfile.of("team-b", "python3", "python:3.12", small), hoursAgo(30),
        PoolProfile.of("team-b", "ir", "r:4", small), hoursAgo(30)));
    DemandRules rules = new DemandRules(Duration.ofMinutes(15), 0, 0, new PoolSizing.CoverHorizon(), QuietRefill.NONE, true);

    bed.start("replica-0", PoolPolicy.DEFAULTS.withDemand(rules));

    await().atMost(Duration.ofSeconds(20))
        .until(() -> server.list(ResourceType.PODS, "team-b", PoolLabels.poolSelector("kp")).size() == 1);
    ObjectNode pod = server.list(ResourceType.PODS, "team-b", PoolLabels.poolSelector("kp")).get(0);
    // By name, ir would win the tie; the cluster launched python3 nine times.
    assertThat(label(pod, PoolLabels.KERNELSPEC)).isEqualTo("python3");
  }

  @Test
  void aClaimedPodIsNeverMadeWarmAgain() throws ApiException {
    bed.namespaceWithQuota("100", "400Gi", "1000");
    KubernetesPool pool = bed.start("replica-0", PoolTestbed.policy(1));
    await().atMost(Duration.ofSeconds(20)).until(() -> poolPods().size() == 1);
    warmAll(pool, 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> pool.warmPods().size() == 1);
    PoolPod pod = pool.warmPods().get(0);
    assertThat(pool.claimer().claim(pod.namespace(), pod.name(), pod.resourceVersion(), "k-1", Map.of())).isEqualTo(PodClaimer.Result.WON);
    // A late or replayed launch report must not relabel it: EG owns it now.
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> pool.publishWarm(pod, "{}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ApiException.class).hasMessageContaining("claimed");
    assertThat(label(server.get(ResourceType.PODS, pod.namespace(), pod.name()), PoolLabels.STATE)).isEqualTo("claimed");
  }

  @Test
  void resizeOnClaimAndWhatHappensWhenTheClusterRefuses() throws ApiException {
    bed.namespaceWithQuota("100", "400Gi", "1000");
    KubernetesPool pool = bed.start("replica-0", PoolTestbed.policy(3));
    await().atMost(Duration.ofSeconds(20)).until(() -> poolPods().size() == 3);
    warmAll(pool, 3);
    await().atMost(Duration.ofSeconds(10)).until(() -> pool.warmPods().size() == 3);
    pool.reconciler().close();
    List<PoolPod> warm = pool.warmPods();
    PoolPod a = warm.get(0);
    assertThat(pool.claimer().claim(a.namespace(), a.name(), a.resourceVersion(), "k-a", Map.of())).isEqualTo(PodClaimer.Result.WON);
    assertThat(pool.claimer().resize(a.namespace(), a.name(), a.profile(), true)).isEqualTo(PodClaimer.Resize.RESIZED);
    ObjectNode resized = server.get(ResourceType.PODS, a.namespace(), a.name());
    assertThat(resized.path("spec").path("containers").get(0).path("resources").path("requests").path("cpu").asText()).isEqualTo("1");

    server.setResizeSupported(false);
    PoolPod b = warm.get(1);
    pool.claimer().claim(b.namespace(), b.name(), b.resourceVersion(), "k-b", Map.of());
    assertThat(pool.claimer().resize(b.namespace(), b.name(), b.profile(), true)).isEqualTo(PodClaimer.Resize.UNSUPPORTED);
    server.setResizeSupported(true);

    server.createQuota(PoolTestbed.NS, "tight", Map.of("requests.cpu", "1500m"));
    PoolPod c = warm.get(2);
    pool.claimer().claim(c.namespace(), c.name(), c.resourceVersion(), "k-c", Map.of());
    assertThat(pool.claimer().resize(c.namespace(), c.name(), c.profile(), true)).isEqualTo(PodClaimer.Resize.REFUSED_BY_QUOTA);
    // A stale resourceVersion loses: the pod was claimed already.
    assertThat(pool.claimer().claim(a.namespace(), a.name(), a.resourceVersion(), "k-late", Map.of())).isEqualTo(PodClaimer.Result.LOST);
  }

  @Test
  void restartsAtRandomPointsNeitherLoseNorLeakPodsAndTheTtlStillHolds() throws Exception {
    bed.namespaceWithQuota("100", "400Gi", "1000");
    PoolPolicy policy = PoolTestbed.policy(4)
        .withLifecycle(new LifecycleRules(Duration.ofSeconds(6), Duration.ofMinutes(2)));
    java.util.Random random = new java.util.Random(7);
    Set<String> claimed = new java.util.TreeSet<>();
    for (int round = 0; round < 4; round++) {
      KubernetesPool pool = bed.start("replica-" + round, policy);
      Thread.sleep(random.nextInt(1200)); // mid-reconcile, mid-creation, or idle
      for (PoolPod pod : List.copyOf(pool.cache().pods().stream().map(p -> PoolPod.of(p, "kp")).flatMap(java.util.Optional::stream).toList())) {
        if (!pod.isWarm() && !pod.isClaimed() && random.nextBoolean()) {
          try {
            pool.publishWarm(pod, "{}".getBytes(StandardCharsets.UTF_8));
          } catch (ApiException e) {
            // deleted meanwhile
          }
        }
      }
      List<PoolPod> warm = pool.warmPods();
      if (!warm.isEmpty() && random.nextBoolean()) {
        PoolPod pick = warm.get(random.nextInt(warm.size()));
        if (pool.claimer().claim(pick.namespace(), pick.name(), pick.resourceVersion(), "eg-" + round, Map.of()) == PodClaimer.Result.WON) {
          claimed.add(pick.name());
        }
      }
      bed.stop(pool);
    }
    KubernetesPool last = bed.start("replica-final", policy);
    await().atMost(Duration.ofSeconds(30)).until(() -> unclaimed().size() == 4);
    warmAll(last, 4);
    Set<String> first = unclaimed();
    // Claimed pods were EG's from their claim on: none was deleted or reused.
    for (String name : claimed) {
      assertThat(label(server.get(ResourceType.PODS, PoolTestbed.NS, name), PoolLabels.KERNEL_ID)).startsWith("eg-");
    }
    // Past the TTL every warm pod is replaced, and the pool is back at four.
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      Set<String> now = unclaimed();
      return now.size() == 4 && java.util.Collections.disjoint(now, first);
    });
  }

  private Set<String> unclaimed() {
    Set<String> out = new java.util.TreeSet<>();
    for (ObjectNode p : poolPods()) {
      if (!"claimed".equals(label(p, PoolLabels.STATE))) {
        out.add(p.path("metadata").path("name").asText());
      }
    }
    return out;
  }

  @Test
  void aNamespaceThatStopsBeingEligibleIsDrained() throws ApiException {
    bed.namespaceWithQuota("100", "400Gi", "1000");
    KubernetesPool pool = bed.start("replica-0", PoolTestbed.policy(3));
    await().atMost(Duration.ofSeconds(20)).until(() -> poolPods().size() == 3);
    io.kubernetes.client.openapi.ApiClient client = io.kubernetes.client.util.Config.fromUrl(server.url(), false);
    io.kubernetes.client.util.PatchUtils.patch(io.kubernetes.client.openapi.models.V1Namespace.class,
        () -> new io.kubernetes.client.openapi.apis.CoreV1Api(client).patchNamespace(PoolTestbed.NS,
            new io.kubernetes.client.custom.V1Patch("{\"metadata\":{\"labels\":{\"kernelpool.dev/pool\":\"disabled\"}}}")).buildCall(null),
        io.kubernetes.client.custom.V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
    await().atMost(Duration.ofSeconds(20)).until(() -> poolPods().isEmpty());
    assertThat(pool.isLeader()).isTrue();
  }

  @Test
  void anExpiredWatchListsAgainAndThePoolStillConverges() {
    bed.namespaceWithQuota("100", "400Gi", "1000");
    bed.start("replica-0", PoolTestbed.policy(3));
    await().atMost(Duration.ofSeconds(20)).until(() -> poolPods().size() == 3);
    long lists = server.count(r -> r.verb().equals("list") && r.resource().equals("pods"));
    // The sidecar is cut off while a pool pod disappears and the history it would resume from is compacted.
    server.faults().setDown(true);
    String victim = poolPods().get(0).path("metadata").path("name").asText();
    server.delete(ResourceType.PODS, PoolTestbed.NS, victim);
    server.compactHistory();
    server.faults().setDown(false);
    await().atMost(Duration.ofSeconds(30)).until(() -> poolPods().size() == 3
        && poolPods().stream().noneMatch(p -> p.path("metadata").path("name").asText().equals(victim)));
    assertThat(server.count(r -> r.verb().equals("list") && r.resource().equals("pods"))).isGreaterThan(lists);
  }
}
