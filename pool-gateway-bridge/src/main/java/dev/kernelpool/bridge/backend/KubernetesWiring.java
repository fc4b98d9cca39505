package dev.kernelpool.bridge.backend;

import dev.kernelpool.bridge.config.KernelspecTemplate;
import dev.kernelpool.bridge.config.ConfigException;
import dev.kernelpool.bridge.config.KubernetesConfig;
import dev.kernelpool.bridge.config.SidecarConfig;
import dev.kernelpool.bridge.launcher.ResponseListener;
import dev.kernelpool.bridge.metrics.PoolMetrics;
import dev.kernelpool.bridge.pool.KernelConnections;
import dev.kernelpool.bridge.pool.WarmKernelRegistry;
import dev.kernelpool.core.plan.Planner;
import dev.kernelpool.core.quota.FootprintRule;
import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.LaunchRecorder;
import dev.kernelpool.core.snapshot.PoolProfile;
import dev.kernelpool.k8s.KubernetesPool;
import dev.kernelpool.k8s.cluster.KubeClients;
import dev.kernelpool.k8s.cluster.ResizeSupport;
import dev.kernelpool.k8s.pods.PodTemplate;
import dev.kernelpool.k8s.reconcile.Reconciler;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.Yaml;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds and starts the Kubernetes pool runtime from the configuration. */
public final class KubernetesWiring {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesWiring.class);
  /** Warm kernels request their profile's full resources. */
  private static final FootprintRule FULL = new FootprintRule(Resources.none());

  private KubernetesWiring() {}

  /**
   * What pool pods request before their claim: the configured small footprint where the server
   * resizes pods in place, else (or with {@code kubernetes.resize: off}, or when the server cannot
   * be asked) the profile's full requests, so no claim hands out a kernel smaller than its launch
   * asked for.
   */
  static FootprintRule footprint(SidecarConfig config, KubeClients clients) {
    FootprintRule configured = config.policy().footprint();
    if (configured.initial().size() == 0) {
      return configured;
    }
    if (config.kubernetes().resize() == KubernetesConfig.Resize.OFF) {
      LOG.info("kubernetes.resize is off: pool pods start with their kernelspec's full requests");
      return FULL;
    }
    Optional<Boolean> resizes = ResizeSupport.probe(clients.calls());
    if (resizes.orElse(false)) {
      LOG.info("the API server resizes pods in place: pool pods start at {} and are resized at their claim", configured.initial());
      return configured;
    }
    LOG.warn("{}: pool pods start with their kernelspec's full requests, not policy.initialFootprint ({}), so a claimed kernel "
        + "has what its launch asked for (Kubernetes 1.33+ resizes pods in place)",
        resizes.isPresent() ? "the API server does not resize pods in place (no pods/resize)"
            : "cannot ask the API server whether it resizes pods in place", configured.initial());
    return FULL;
  }

  /** @param pooled whether a kernelspec is one the sidecar pools: the launches the pool learns from */
  public static KubernetesRuntime start(SidecarConfig config, Clock clock, ResponseListener listener, Predicate<String> pooled,
      LaunchRecorder launches, Function<PoolProfile, String> warmup, WarmKernelRegistry registry,
      KernelConnections connections, PoolMetrics metrics, byte[] proofKey) throws IOException {
    KubernetesConfig k = config.kubernetes();
    KubeClients clients = KubeClients.connect(k.apiUrl(), k.kubeconfig(), k.callTimeout());
    String advertise = k.advertiseAddress().orElseGet(() -> Optional.ofNullable(System.getenv("POD_IP"))
        .map(ip -> ip + ":" + listener.address().port()).orElse(listener.address().toString()));
    Optional<V1Pod> base = Optional.empty();
    if (k.podTemplate().isPresent()) {
      try {
        base = Optional.of(Yaml.loadAs(k.podTemplate().get().toFile(), V1Pod.class));
      } catch (IOException | RuntimeException e) {
        throw new ConfigException("kubernetes.podTemplate: cannot read a Pod from " + k.podTemplate().get() + ": " + e.getMessage());
      }
    }
    FootprintRule footprint = footprint(config, clients);
    Planner planner = new Planner(config.policy().withFootprint(footprint), config.demandForecaster(), clock);
    List<KernelspecTemplate> specs = config.kernelspecs();
    Function<String, List<PoolProfile>> declared = ns -> k.namespaces().contains(ns)
        ? specs.stream().map(t -> new PoolProfile(ns, t.name(), t.image(), t.uid(), t.gid(), t.resources(), t.volumes(), t.serviceAccount())).toList()
        : List.of();
    KubernetesPool pool = new KubernetesPool(clients,
        new KubernetesPool.Settings(k.pool(), k.identity(), k.leaseNamespace(), k.leaseDuration(), k.renewDeadline(),
            k.retryPeriod(), k.callTimeout().multipliedBy(6),
            new Reconciler.Settings(k.debounce(), k.resync(), k.historySave(), java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(60), k.quotaBackoff(), k.maxStarting())),
        new PodTemplate.Settings(k.pool(), advertise, listener.publicKey(), footprint, base),
        planner, launches, declared, p -> pooled.test(p.kernelspec()), proofKey, clock);
    KubernetesRuntime runtime = new KubernetesRuntime(pool,
        new KubernetesBackend(pool, footprint, k.resizeFallback(), k.claimAnnotations()),
        registry, connections, warmup, metrics, config.controller().readyTimeout(), config.controller().heartbeat());
    try {
      pool.start();
    } catch (Exception e) {
      runtime.close();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("cannot start the Kubernetes pool: " + e.getMessage(), e);
    }
    return runtime;
  }
}
