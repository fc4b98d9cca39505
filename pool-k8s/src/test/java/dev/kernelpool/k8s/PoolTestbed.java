package dev.kernelpool.k8s;

import static org.awaitility.Awaitility.await;

import dev.kernelpool.core.forecast.LaunchFrequencyForecaster;
import dev.kernelpool.core.plan.Planner;
import dev.kernelpool.core.plan.PoolPolicy;
import dev.kernelpool.core.plan.ProfileRule;
import dev.kernelpool.core.quota.FootprintRule;
import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.LaunchRecorder;
import dev.kernelpool.core.snapshot.PoolProfile;
import dev.kernelpool.k8s.cluster.KubeClients;
import dev.kernelpool.k8s.pods.PodTemplate;
import dev.kernelpool.k8s.reconcile.Reconciler;
import dev.kernelpool.k8s.testing.ApiCallRecorder;
import dev.kernelpool.k8s.testing.TestCluster;
import io.kubernetes.client.openapi.ApiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pools of one test against a {@link TestCluster}, with short leases and back-offs: the test's own
 * namespace and pool name (so tests sharing a cluster never see each other's pods or Lease), every
 * pool's API calls recorded.
 */
final class PoolTestbed implements AutoCloseable {
  static final Reconciler.Settings FAST = new Reconciler.Settings(Duration.ofMillis(50), Duration.ofSeconds(2),
      Duration.ofMillis(500), Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(5), 100);

  final TestCluster cluster;
  /** The test's pool namespace. */
  final String ns;
  /** The test's pool name: labels, Lease, Secrets. */
  final String pool;
  final PoolProfile python;
  private final ApiCallRecorder recorder;
  private final List<KubernetesPool> pools = new ArrayList<>();

  PoolTestbed(TestCluster cluster, String ns, String pool, ApiCallRecorder recorder) {
    this.cluster = cluster;
    this.ns = ns;
    this.pool = pool;
    this.recorder = recorder;
    this.python = PoolProfile.of(ns, "python3", "python:3.12", Resources.parse("cpu=1,memory=1Gi"));
  }

  static PoolPolicy policy(int size) {
    return PoolPolicy.DEFAULTS.withProfiles(List.of(new ProfileRule("python3", "*", size, size)));
  }

  KubernetesPool start(String identity, PoolPolicy policy) {
    return start(identity, policy, FAST);
  }

  KubernetesPool start(String identity, PoolPolicy policy, Reconciler.Settings reconcile) {
    KubeClients clients;
    try {
      clients = recorder.wrap(cluster.poolClients(Duration.ofSeconds(5)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    KubernetesPool started = new KubernetesPool(clients,
        new KubernetesPool.Settings(pool, identity, TestCluster.POOL_NAMESPACE, Duration.ofSeconds(3), Duration.ofSeconds(2),
            Duration.ofMillis(300), Duration.ofSeconds(10), reconcile),
        new PodTemplate.Settings(pool, "10.0.0.1:8877", "PUBLICKEY", FootprintRule.DEFAULTS, Optional.empty()),
        new Planner(policy, new LaunchFrequencyForecaster(Duration.ofDays(7)), Clock.systemUTC()),
        new LaunchRecorder(Duration.ofDays(7)),
        n -> n.equals(ns) ? List.of(python) : List.of(),
        Clock.systemUTC());
    try {
      started.start();
    } catch (Exception e) {
      started.close();
      throw new IllegalStateException(e);
    }
    pools.add(started);
    return started;
  }

  /** Stops a pool, as a crash or a rolling update would. */
  void stop(KubernetesPool stopped) {
    pools.remove(stopped);
    stopped.close();
  }

  /**
   * The test's namespace with a quota named compute, returning once the quota reports its usage: a
   * real controller-manager's first count of a new quota is taken from its pod cache, and can
   * overwrite the charge of a pod created in that window (a CI run lost a test's 8850m that way).
   */
  void namespaceWithQuota(String cpu, String memory, String podCount) {
    try {
      cluster.ops().namespace(ns, Map.of());
      cluster.ops().quota(ns, "compute", Map.of("requests.cpu", cpu, "requests.memory", memory, "pods", podCount));
      await().atMost(Duration.ofSeconds(30))
          .until(() -> cluster.ops().quotaUsed(ns, "compute", "requests.cpu").isPresent());
    } catch (ApiException e) {
      throw new IllegalStateException(e.getCode() + " " + e.getResponseBody(), e);
    }
  }

  @Override
  public void close() {
    pools.forEach(KubernetesPool::close);
    pools.clear();
  }
}
