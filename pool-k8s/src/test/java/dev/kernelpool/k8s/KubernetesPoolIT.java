package dev.kernelpool.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kernelpool.k8s.claim.PodClaimer;
import dev.kernelpool.k8s.cluster.PoolPod;
import dev.kernelpool.k8s.cluster.ResizeSupport;
import dev.kernelpool.k8s.testing.ClusterExtension;
import dev.kernelpool.k8s.testing.FakeApiServer;
import dev.kernelpool.k8s.testing.InMemoryCluster;
import dev.kernelpool.k8s.testing.ResourceType;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared Kubernetes suite on the in-memory API server, plus what only it can do: fault
 * switches (5xx, latency, an API that is down), a quota without status, a compacted history that
 * answers 410, and {@code pods/resize} switched off or refused by quota.
 */
class KubernetesPoolIT extends KubernetesPoolSuite {
  @RegisterExtension static final ClusterExtension CLUSTER = ClusterExtension.inMemory();

  @AfterEach
  void resetSwitches() {
    server().faults().setLatency(Duration.ZERO);
    server().faults().setDown(false);
    server().setQuotaStatus(true);
    server().setResizeSupported(true);
  }

  private FakeApiServer server() {
    return ((InMemoryCluster) cluster).server();
  }

  private long podCreates() {
    return server().count(r -> r.verb().equals("create") && r.resource().equals("pods") && bed.ns.equals(r.namespace()));
  }

  @Test
  void aQuotaThatRefusesPoolPodsCausesNoRetryStorm() throws Exception {
    bed.namespaceWithQuota("10", "40Gi", "100");
    server().setQuotaStatus(false); // the pool cannot see usage it does not watch ...
    ops.createPod(bed.ns, plainPod("hog", "9950m", "1Gi")); // ... like this unlabelled pod, which fills the quota
    server().clearRequests();
    bed.start("replica-0", PoolTestbed.policy(3));
    await().atMost(Duration.ofSeconds(10)).until(() -> podCreates() >= 1);
    Thread.sleep(3000); // several resyncs (every 2 s) and triggers pass; the quota back-off is 5 s
    assertThat(podCreates()).isEqualTo(1);
    assertThat(poolPods()).isEmpty();
  }

  @Test
  void apiFailuresBackOffAndRecover() {
    bed.namespaceWithQuota("100", "400Gi", "1000");
    server().clearRequests();
    server().faults().fail(r -> r.verb().equals("create") && r.resource().equals("pods"), 500, 3);
    bed.start("replica-0", PoolTestbed.policy(2));
    await().atMost(Duration.ofSeconds(30)).until(() -> poolPods().size() == 2);
    assertThat(podCreates()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void callsThatTimeOutBackOffAndTheLeaderRecoversWhenTheApiAnswersAgain() throws ApiException {
    bed.namespaceWithQuota("100", "400Gi", "1000");
    KubernetesPool pool = bed.start("replica-0", PoolTestbed.policy(2));
    await().atMost(Duration.ofSeconds(20)).until(() -> poolPods().size() == 2);
    String victim = name(poolPods().get(0));
    server().faults().setLatency(Duration.ofSeconds(6)); // beyond the 5 s call timeout
    server().clearRequests();
    server().delete(ResourceType.PODS, bed.ns, victim);
    await().atMost(Duration.ofSeconds(20)).until(() -> podCreates() >= 1);
    assertThat(server().list(ResourceType.PODS, bed.ns, dev.kernelpool.k8s.pods.PoolLabels.poolSelector(bed.pool))).hasSize(1);
    server().faults().setLatency(Duration.ZERO);
    await().atMost(Duration.ofSeconds(40)).until(() -> poolPods().size() == 2 && pool.isLeader());
  }

  @Test
  void anExpiredWatchAnswers410AndThePoolListsAgain() {
    bed.namespaceWithQuota("100", "400Gi", "1000");
    bed.start("replica-0", PoolTestbed.policy(3));
    await().atMost(Duration.ofSeconds(20)).until(() -> poolPods().size() == 3);
    long lists = server().count(r -> r.verb().equals("list") && r.resource().equals("pods"));
    String victim = name(poolPods().get(0));
    server().faults().setDown(true);
    server().delete(ResourceType.PODS, bed.ns, victim);
    server().compactHistory();
    server().faults().setDown(false);
    await().atMost(Duration.ofSeconds(30)).until(() -> poolPods().size() == 3
        && poolPods().stream().noneMatch(p -> name(p).equals(victim)));
    assertThat(server().count(r -> r.verb().equals("list") && r.resource().equals("pods"))).isGreaterThan(lists);
  }

  @Test
  void discoveryListsPodsResizeOnlyWhileItIsOnAndAServerThatCannotBeAskedIsNoAnswer() {
    assertThat(ResizeSupport.probe(ops.core().getApiClient())).contains(true);
    server().setResizeSupported(false);
    try {
      assertThat(ResizeSupport.probe(ops.core().getApiClient())).contains(false);
    } finally {
      server().setResizeSupported(true);
    }
    assertThat(ResizeSupport.probe(new ApiClient().setBasePath("http://127.0.0.1:9"))).isEmpty();
  }

  @Test
  void resizeSwitchedOffOrRefusedByQuota() throws ApiException {
    bed.namespaceWithQuota("100", "400Gi", "1000");
    KubernetesPool pool = bed.start("replica-0", PoolTestbed.policy(2));
    await().atMost(Duration.ofSeconds(20)).until(() -> poolPods().size() == 2);
    warmAll(pool, 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> pool.warmPods().size() == 2);
    pool.reconciler().close();
    List<PoolPod> warm = pool.warmPods();
    server().setResizeSupported(false);
    PoolPod b = warm.get(0);
    pool.claimer().claim(b.namespace(), b.name(), b.resourceVersion(), "k-b", Map.of());
    assertThat(pool.claimer().resize(b.namespace(), b.name(), b.profile(), true)).isEqualTo(PodClaimer.Resize.UNSUPPORTED);
    server().setResizeSupported(true);
    server().createQuota(bed.ns, "tight", Map.of("requests.cpu", "1000m"));
    PoolPod c = warm.get(1);
    pool.claimer().claim(c.namespace(), c.name(), c.resourceVersion(), "k-c", Map.of());
    assertThat(pool.claimer().resize(c.namespace(), c.name(), c.profile(), true)).isEqualTo(PodClaimer.Resize.REFUSED_BY_QUOTA);
  }
}
