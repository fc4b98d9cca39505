package dev.kernelpool.bridge.metrics;

import java.util.List;
import java.util.function.Supplier;

/** The metrics the sidecar exports; their names are part of its interface (dashboards use them). */
public final class PoolMetrics {
  public static final String CLAIMS = "kernelpool_claims_total";
  public static final String FALLBACKS = "kernelpool_fallbacks_total";
  public static final String CLAIM_SECONDS = "kernelpool_claim_duration_seconds";
  public static final String EVICTIONS = "kernelpool_evictions_total";
  public static final String STARTED = "kernelpool_kernels_started_total";
  public static final String START_FAILURES = "kernelpool_kernel_start_failures_total";
  public static final String POOL_KERNELS = "kernelpool_pool_kernels";
  public static final String POOL_TARGET = "kernelpool_pool_target";
  public static final String PAYLOADS_REJECTED = "kernelpool_launcher_payloads_rejected_total";
  public static final String REQUESTS_REJECTED = "kernelpool_claim_requests_rejected_total";
  public static final String RECONCILES = "kernelpool_reconciles_total";
  public static final String LEADER = "kernelpool_leader";

  private final Metrics registry = new Metrics();
  private final Metrics.Counter claims;
  private final Metrics.Counter fallbacks;
  private final Metrics.Histogram claimSeconds;
  private final Metrics.Counter evictions;
  private final Metrics.Counter started;
  private final Metrics.Counter startFailures;
  private final Metrics.Counter requestsRejected;
  private final Metrics.Counter reconciles;

  public PoolMetrics() {
    claims = registry.counter(CLAIMS, "Claim requests by outcome (hit, miss, error).", "namespace", "kernelspec", "outcome");
    fallbacks = registry.counter(FALLBACKS, "Claims that sent the launch script to the cold launcher, by reason.", "reason");
    claimSeconds =
        registry.histogram(
            CLAIM_SECONDS, "Time from claim request to connection info delivered to EG (hits).",
            0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5);
    evictions = registry.counter(EVICTIONS, "Pool kernels deleted by the planner, by reason.", "namespace", "reason");
    started = registry.counter(STARTED, "Pool kernels started.", "namespace", "kernelspec");
    startFailures = registry.counter(START_FAILURES, "Pool kernels that failed to become ready, by reason.", "reason");
    requestsRejected = registry.counter(REQUESTS_REJECTED, "Claim requests rejected before a claim, by reason.", "reason");
    reconciles = registry.counter(RECONCILES, "Planner runs, by trigger.", "trigger");
    // label values known in advance start at zero: a rate over them is 0, not absent
    for (String reason : START_FAILURE_REASONS) {
      startFailures.add(0, reason);
    }
    for (String reason : REQUEST_REJECTION_REASONS) {
      requestsRejected.add(0, reason);
    }
  }

  /** The reasons of {@link #startFailure}. */
  public static final List<String> START_FAILURE_REASONS = List.of("backend", "exited", "not_ready", "image_pull");

  /** The reasons of {@link #requestRejected}. */
  public static final List<String> REQUEST_REJECTION_REASONS = List.of("unauthorized", "not_ready", "too_large", "malformed");

  public Metrics registry() {
    return registry;
  }

  /** Starts the claim counters of a namespace and kernelspec known in advance at zero, so their rates exist from the first scrape. */
  public void expectClaims(String namespace, String kernelspec) {
    for (String outcome : List.of("hit", "miss", "error")) {
      claims.add(0, namespace, kernelspec, outcome);
    }
  }

  public void claim(String namespace, String kernelspec, String outcome) {
    claims.inc(namespace, kernelspec, outcome);
  }

  public long claims(String namespace, String kernelspec, String outcome) {
    return claims.get(namespace, kernelspec, outcome);
  }

  public void fallback(String reason) {
    fallbacks.inc(reason);
  }

  public void claimLatency(double seconds) {
    claimSeconds.observe(seconds);
  }

  public void eviction(String namespace, String reason) {
    evictions.inc(namespace, reason);
  }

  public long evictions(String namespace, String reason) {
    return evictions.get(namespace, reason);
  }

  public void started(String namespace, String kernelspec) {
    started.inc(namespace, kernelspec);
  }

  public long startedCount(String namespace, String kernelspec) {
    return started.get(namespace, kernelspec);
  }

  public void startFailure(String reason) {
    startFailures.inc(reason);
  }

  public long startFailures(String reason) {
    return startFailures.get(reason);
  }

  public void requestRejected(String reason) {
    requestsRejected.inc(reason);
  }

  public void reconcile(String trigger) {
    reconciles.inc(trigger);
  }

  /** Pool size and target gauges, read from the sidecar's state at scrape time. */
  public void poolGauges(Supplier<List<Metrics.Sample>> kernels, Supplier<List<Metrics.Sample>> targets) {
    registry.gauge(POOL_KERNELS, "Pool kernels by namespace, kernelspec, profile and state.",
        List.of("namespace", "kernelspec", "profile", "state"), kernels);
    registry.gauge(POOL_TARGET, "Planned pool size by namespace, kernelspec and profile.",
        List.of("namespace", "kernelspec", "profile"), targets);
  }

  /** 1 while this replica plans and writes the pool (the Lease holder on Kubernetes; always locally), else 0. */
  public void leaderGauge(java.util.function.BooleanSupplier leader) {
    registry.gauge(LEADER, "Whether this replica is the pool's leader (1) or not (0).", List.of(),
        () -> List.of(new Metrics.Sample(List.of(), leader.getAsBoolean() ? 1 : 0)));
  }

  /** Adds the JVM's metrics ({@code jvm_*}), opt-in ({@code http.jvmMetrics}). */
  public void withJvmMetrics() {
    registry.withJvmMetrics();
  }

  /** Rejected launcher payloads, read from the response listener at scrape time. */
  public void payloadGauge(Supplier<List<Metrics.Sample>> rejected) {
    registry.gauge(PAYLOADS_REJECTED, "Launcher payloads rejected by the response listener, by reason.",
        List.of("reason"), rejected);
  }

  public String render() {
    return registry.render();
  }
}
