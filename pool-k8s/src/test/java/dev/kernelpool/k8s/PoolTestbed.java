package dev.kernelpool.k8s;

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
import dev.kernelpool.k8s.testing.FakeApiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Pools against one in-memory API server, with short leases and back-offs for tests. */
final class PoolTestbed implements AutoCloseable {
  static final String NS = "team-a";
  static final PoolProfile PYTHON =
      PoolProfile.of(NS, "python3", "python:3.12", Resources.parse("cpu=1,memory=1Gi"));
  static final Reconciler.Settings FAST = new Reconciler.Settings(Duration.ofMillis(50), Duration.ofSeconds(2),
      Duration.ofMillis(500), Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(5), 100);

  final FakeApiServer server;
  private final List<KubernetesPool> pools = new ArrayList<>();

  PoolTestbed(FakeApiServer server) {
    this.server = server;
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
      clients = KubeClients.connect(Optional.of(server.url()), Duration.ofSeconds(5));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    KubernetesPool pool = new KubernetesPool(clients,
        new KubernetesPool.Settings("kp", identity, "kernel-pool", Duration.ofSeconds(3), Duration.ofSeconds(2),
            Duration.ofMillis(300), Duration.ofSeconds(10), reconcile),
        new PodTemplate.Settings("kp", "10.0.0.1:8877", "PUBLICKEY", FootprintRule.DEFAULTS, Optional.empty()),
        new Planner(policy, new LaunchFrequencyForecaster(Duration.ofDays(7)), Clock.systemUTC()),
        new LaunchRecorder(Duration.ofDays(7)),
        ns -> ns.equals(NS) ? List.of(PYTHON) : List.of(),
        Clock.systemUTC());
    try {
      pool.start();
    } catch (Exception e) {
      pool.close();
      throw new IllegalStateException(e);
    }
    pools.add(pool);
    return pool;
  }

  /** Stops a pool, as a crash or a rolling update would. */
  void stop(KubernetesPool pool) {
    pools.remove(pool);
    pool.close();
  }

  void namespaceWithQuota(String cpu, String memory, String podCount) {
    server.createNamespace("kernel-pool", Map.of());
    server.createNamespace(NS, Map.of());
    server.createQuota(NS, "compute", Map.of("requests.cpu", cpu, "requests.memory", memory, "pods", podCount));
  }

  @Override
  public void close() {
    pools.forEach(KubernetesPool::close);
  }
}
