package dev.kernelpool.bridge.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.Supplier;

/**
 * A small registry of labelled metrics, rendered in the Prometheus text format. Metric names are
 * registered once; the set of names is what dashboards may rely on ({@link #names()}).
 */
public final class Metrics {
  private final Map<String, Family> families = new LinkedHashMap<>();

  /** One labelled sample of a gauge. */
  public record Sample(List<String> labelValues, double value) {
    public Sample {
      labelValues = List.copyOf(labelValues);
    }
  }

  private interface Family {
    void render(StringBuilder out);
  }

  /** A monotonically increasing count per label values. */
  public final class Counter implements Family {
    private final String name;
    private final String help;
    private final List<String> labels;
    private final Map<List<String>, AtomicLong> values = new ConcurrentHashMap<>();

    private Counter(String name, String help, List<String> labels) {
      this.name = name;
      this.help = help;
      this.labels = labels;
    }

    public void inc(String... labelValues) {
      add(1, labelValues);
    }

    public void add(long n, String... labelValues) {
      if (labelValues.length != labels.size()) {
        throw new IllegalArgumentException(name + " takes labels " + labels);
      }
      values.computeIfAbsent(List.of(labelValues), k -> new AtomicLong()).addAndGet(n);
    }

    public long get(String... labelValues) {
      AtomicLong v = values.get(List.of(labelValues));
      return v == null ? 0 : v.get();
    }

    @Override
    public void render(StringBuilder out) {
      header(out, name, help, "counter");
      values.entrySet().stream()
          .sorted(Map.Entry.comparingByKey((a, b) -> String.join(",", a).compareTo(String.join(",", b))))
          .forEach(e -> sample(out, name, labels, e.getKey(), e.getValue().get()));
    }
  }

  /** A distribution of durations in seconds over fixed buckets. */
  public final class Histogram implements Family {
    private final String name;
    private final String help;
    private final double[] bounds;
    private final AtomicLong[] buckets;
    private final AtomicLong count = new AtomicLong();
    private final DoubleAdder sum = new DoubleAdder();

    private Histogram(String name, String help, double[] bounds) {
      this.name = name;
      this.help = help;
      this.bounds = bounds.clone();
      Arrays.sort(this.bounds);
      this.buckets = new AtomicLong[this.bounds.length];
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new AtomicLong();
      }
    }

    public void observe(double seconds) {
      for (int i = 0; i < bounds.length; i++) {
        if (seconds <= bounds[i]) {
          buckets[i].incrementAndGet();
        }
      }
      count.incrementAndGet();
      sum.add(seconds);
    }

    public long count() {
      return count.get();
    }

    @Override
    public void render(StringBuilder out) {
      header(out, name, help, "histogram");
      for (int i = 0; i < bounds.length; i++) {
        sample(out, name + "_bucket", List.of("le"), List.of(number(bounds[i])), buckets[i].get());
      }
      sample(out, name + "_bucket", List.of("le"), List.of("+Inf"), count.get());
      sample(out, name + "_sum", List.of(), List.of(), sum.sum());
      sample(out, name + "_count", List.of(), List.of(), count.get());
    }
  }

  private record Gauge(String name, String help, List<String> labels, Supplier<List<Sample>> samples) implements Family {
    @Override
    public void render(StringBuilder out) {
      header(out, name, help, "gauge");
      for (Sample s : samples.get()) {
        sample(out, name, labels, s.labelValues(), s.value());
      }
    }
  }

  public synchronized Counter counter(String name, String help, String... labels) {
    Counter c = new Counter(name, help, List.of(labels));
    register(name, c);
    return c;
  }

  public synchronized Histogram histogram(String name, String help, double... bounds) {
    Histogram h = new Histogram(name, help, bounds);
    register(name, h);
    return h;
  }

  /** A gauge whose samples are read when metrics are scraped. */
  public synchronized void gauge(String name, String help, List<String> labels, Supplier<List<Sample>> samples) {
    register(name, new Gauge(name, help, List.copyOf(labels), samples));
  }

  private void register(String name, Family family) {
    if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
      throw new IllegalArgumentException("invalid metric name " + name);
    }
    if (families.putIfAbsent(name, family) != null) {
      throw new IllegalStateException("metric " + name + " registered twice");
    }
  }

  /** Every registered metric name. */
  public synchronized List<String> names() {
    return new ArrayList<>(families.keySet());
  }

  /** All metrics in the Prometheus text exposition format (version 0.0.4). */
  public String render() {
    List<Family> snapshot;
    synchronized (this) {
      snapshot = new ArrayList<>(families.values());
    }
    StringBuilder out = new StringBuilder(4096);
    for (Family f : snapshot) {
      f.render(out);
    }
    return out.toString();
  }

  private static void header(StringBuilder out, String name, String help, String type) {
    out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder out, String name, List<String> labels, List<String> values, double v) {
    out.append(name);
    if (!labels.isEmpty()) {
      out.append('{');
      for (int i = 0; i < labels.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        out.append(labels.get(i)).append("=\"").append(escape(values.get(i))).append('"');
      }
      out.append('}');
    }
    out.append(' ').append(number(v)).append('\n');
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static String number(double v) {
    if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%s", v);
  }
}
