package dev.kernelpool.k8s.bench;

import dev.kernelpool.core.forecast.LaunchFrequencyForecaster;
import dev.kernelpool.core.plan.Planner;
import dev.kernelpool.core.plan.PoolPolicy;
import dev.kernelpool.core.plan.ProfileRule;
import dev.kernelpool.core.quota.FootprintRule;
import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.LaunchRecorder;
import dev.kernelpool.core.snapshot.PoolProfile;
import dev.kernelpool.k8s.KubernetesPool;
import dev.kernelpool.k8s.claim.PodClaimer;
import dev.kernelpool.k8s.cluster.PoolPod;
import dev.kernelpool.k8s.pods.PodTemplate;
import dev.kernelpool.k8s.reconcile.Reconciler;
import dev.kernelpool.k8s.testing.ApiCallRecorder;
import dev.kernelpool.k8s.testing.InMemoryCluster;
import dev.kernelpool.k8s.testing.RealTestCluster;
import dev.kernelpool.k8s.testing.TestCluster;
import dev.kernelpool.k8s.testing.KubeletSimulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Kubernetes side against an API server: how long a reconcile of 1,000 namespaces takes, how
 * many API requests a steady-state reconcile makes (the target is none beyond the watches), and
 * the latency of the exactly-once claim patch. Arguments: namespaces, claims, and {@code memory}
 * (the in-memory server, the default) or {@code real} (a real kube-apiserver, etcd and
 * controller-manager from {@code KERNEL_POOL_K8S_HOME}, the pool acting as the service-account
 * user with the shipped RBAC). Run with {@code mvn -B -q -pl pool-k8s test-compile exec:exec@bench
 * -Dbench.args="1000 500 real"} (see docs/benchmarks.md).
 */
public final class KubernetesBench {
  private KubernetesBench() {}

  public static void main(String[] args) throws Exception {
    int namespaces = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int claims = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    boolean real = args.length > 2 && args[2].equals("real");
    Path dir = Files.createTempDirectory("kernel-pool-bench");
    try (TestCluster cluster = real
        ? RealTestCluster.start(dir, KubeletSimulator.NOTHING).orElseThrow(() -> new IllegalStateException("set KERNEL_POOL_K8S_HOME"))
        : new InMemoryCluster(KubeletSimulator.NOTHING)) {
      long n0 = System.nanoTime();
      for (int i = 0; i < namespaces; i++) {
        String ns = "team-" + i;
        cluster.ops().namespace(ns, Map.of());
        cluster.ops().quota(ns, "compute", Map.of("requests.cpu", "1000", "requests.memory", "4000Gi", "pods", "10000"));
      }
      System.out.printf("%s server: %d namespaces with quotas made in %.1f s%n", cluster.name(), namespaces, (System.nanoTime() - n0) / 1e9);
      ApiCallRecorder recorder = new ApiCallRecorder();
      String claimNs = "team-0";
      // Nothing makes the bench's pods warm: a long start timeout keeps them from being replaced.
      PoolPolicy policy = PoolPolicy.DEFAULTS
          .withLifecycle(new dev.kernelpool.core.evict.LifecycleRules(Duration.ofHours(4), Duration.ofHours(1)))
          .withProfiles(List.of(
          new ProfileRule("python3", claimNs, claims, claims), new ProfileRule("python3", "*", 2, 2)));
      KubernetesPool pool = new KubernetesPool(recorder.wrap(cluster.poolClients(Duration.ofSeconds(30))),
          new KubernetesPool.Settings("kp", "bench", "kernel-pool", Duration.ofSeconds(15), Duration.ofSeconds(10),
              Duration.ofSeconds(2), Duration.ofSeconds(60),
              new Reconciler.Settings(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofMinutes(10),
                  Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(2), 100_000)),
          new PodTemplate.Settings("kp", "10.0.0.1:8877", "KEY", FootprintRule.DEFAULTS, Optional.empty()),
          new Planner(policy, new LaunchFrequencyForecaster(Duration.ofDays(7)), Clock.systemUTC()),
          new LaunchRecorder(Duration.ofDays(7)),
          ns -> List.of(PoolProfile.of(ns, "python3", "python:3.12", Resources.parse("cpu=1,memory=1Gi"))),
          Clock.systemUTC());
      long t0 = System.nanoTime();
      pool.start();
      int expected = (namespaces - 1) * 2 + claims;
      while (pool.cache().pods().size() < expected) {
        Thread.sleep(100);
      }
      System.out.printf("filled %d pool pods in %d namespaces in %.1f s%n", expected, namespaces, (System.nanoTime() - t0) / 1e9);

      // Steady state: reconciles on the resync timer, nothing to change.
      Thread.sleep(3000);
      int callsBefore = recorder.calls().size();
      long before = pool.reconciler().reconciles();
      List<Long> durations = new ArrayList<>();
      while (pool.reconciler().reconciles() < before + 10) {
        long seen = pool.reconciler().reconciles();
        while (pool.reconciler().reconciles() == seen) {
          Thread.sleep(5);
        }
        durations.add(pool.reconciler().lastDuration().toNanos());
      }
      long reads = recorder.calls().subList(callsBefore, recorder.calls().size()).stream()
          .filter(c -> !c.verb().equals("watch") && !c.resource().equals("leases")).count();
      System.out.printf("steady-state reconcile of %d namespaces: p50 %.1f ms, max %.1f ms; API requests per reconcile beyond watches and the lease: %.2f%n",
          namespaces, percentile(durations, 0.5), percentile(durations, 1.0), reads / 10.0);

      // Claims: the patch with the resourceVersion precondition, one at a time.
      pool.reconciler().setPaused(true);
      for (PoolPod p : pool.cache().pods().stream().map(x -> PoolPod.of(x, "kp")).flatMap(Optional::stream)
          .filter(p -> p.namespace().equals(claimNs)).toList()) {
        pool.publishWarm(p, "{}".getBytes(StandardCharsets.UTF_8));
      }
      while (pool.warmPods().stream().filter(p -> p.namespace().equals(claimNs)).count() < claims) {
        Thread.sleep(50);
      }
      List<Long> latencies = new ArrayList<>();
      int i = 0;
      for (PoolPod p : pool.warmPods().stream().filter(x -> x.namespace().equals(claimNs)).toList()) {
        long c0 = System.nanoTime();
        PodClaimer.Result r = pool.claimer().claim(p.namespace(), p.name(), p.resourceVersion(), "eg-" + i++, Map.of());
        latencies.add(System.nanoTime() - c0);
        if (r != PodClaimer.Result.WON) {
          throw new IllegalStateException("claim lost without contention: " + p.name());
        }
      }
      System.out.printf("claim patch (%d claims): p50 %.2f ms, p99 %.2f ms%n", latencies.size(),
          percentile(latencies, 0.5), percentile(latencies, 0.99));
      pool.close();
    }
  }

  private static double percentile(List<Long> nanos, double q) {
    long[] a = nanos.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(a);
    int idx = (int) Math.min(a.length - 1, Math.max(0, Math.ceil(q * a.length) - 1));
    return a[idx] / 1e6;
  }
}
