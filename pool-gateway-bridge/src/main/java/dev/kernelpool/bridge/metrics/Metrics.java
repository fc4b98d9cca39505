package dev.kernelpool.bridge.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The sidecar's metrics registry, on the Prometheus Java client (a {@link PrometheusRegistry} of
 * its own, never the client's default one), rendered in the Prometheus text format. Metric names
 * are registered once; the set of names is what dashboards and alert rules may rely on ({@link
 * #names()}). JVM metrics are opt-in ({@link #withJvmMetrics()}).
 */
public final class Metrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final List<String> names = new ArrayList<>();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  /** One labelled sample of a gauge. */
  public record Sample(List<String> labelValues, double value) {
    public Sample {
      labelValues = List.copyOf(labelValues);
    }
  }

  /** A monotonically increasing count per label values. */
  public static final class Counter {
    private final io.prometheus.metrics.core.metrics.Counter counter;
    private final String name;
    private final int labels;

    private Counter(io.prometheus.metrics.core.metrics.Counter counter, String name, int labels) {
      this.counter = counter;
      this.name = name;
      this.labels = labels;
    }

    public void inc(String... labelValues) {
      add(1, labelValues);
    }

    public void add(long n, String... labelValues) {
      check(labelValues);
      counter.labelValues(labelValues).inc(n);
    }

    public long get(String... labelValues) {
      check(labelValues);
      return counter.labelValues(labelValues).getLongValue();
    }

    private void check(String... labelValues) {
      if (labelValues.length != labels) {
        throw new IllegalArgumentException(name + " takes " + labels + " labels, not " + labelValues.length);
      }
    }
  }

  /** A distribution of durations in seconds over fixed (classic) buckets. */
  public static final class Histogram {
    private final io.prometheus.metrics.core.metrics.Histogram histogram;

    private Histogram(io.prometheus.metrics.core.metrics.Histogram histogram) {
      this.histogram = histogram;
    }

    public void observe(double seconds) {
      histogram.observe(seconds);
    }

    public long count() {
      return histogram.collect().getDataPoints().stream().mapToLong(p -> p.getCount()).sum();
    }
  }

  /** @param name ending in {@code _total}, as Prometheus names counters */
  public synchronized Counter counter(String name, String help, String... labels) {
    if (!name.endsWith("_total")) {
      throw new IllegalArgumentException("counter " + name + " must end in _total");
    }
    register(name);
    return new Counter(io.prometheus.metrics.core.metrics.Counter.builder().name(name).help(help).labelNames(labels)
        .withoutExemplars().register(registry), name, labels.length);
  }

  /** @param name ending in the base unit ({@code _seconds}) */
  public synchronized Histogram histogram(String name, String help, double... bounds) {
    register(name);
    return new Histogram(io.prometheus.metrics.core.metrics.Histogram.builder().name(name).help(help).classicOnly()
        .classicUpperBounds(bounds).withoutExemplars().register(registry));
  }

  /** A gauge whose samples are read when metrics are scraped. */
  public synchronized void gauge(String name, String help, List<String> labels, Supplier<List<Sample>> samples) {
    register(name);
    GaugeWithCallback.builder().name(name).help(help).labelNames(labels.toArray(String[]::new))
        .callback(cb -> samples.get().forEach(s -> cb.call(s.value(), s.labelValues().toArray(String[]::new))))
        .register(registry);
  }

  /** Adds the client's JVM metrics (memory, GC, threads, class loading; names start with {@code jvm_}). */
  public synchronized Metrics withJvmMetrics() {
    JvmMetrics.builder().register(registry);
    return this;
  }

  private void register(String name) {
    if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
      throw new IllegalArgumentException("invalid metric name " + name);
    }
    if (names.contains(name)) {
      throw new IllegalStateException("metric " + name + " registered twice");
    }
    names.add(name);
  }

  /** Every metric name registered here (the JVM metrics aside). */
  public synchronized List<String> names() {
    return List.copyOf(names);
  }

  /** All metrics in the Prometheus text exposition format (version 0.0.4). */
  public String render() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The content type of {@link #render()}'s output. */
  public String contentType() {
    return writer.getContentType();
  }
}
