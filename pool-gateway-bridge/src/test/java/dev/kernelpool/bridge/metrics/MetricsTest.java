package dev.kernelpool.bridge.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {
  @Test
  void rendersThePrometheusTextFormat() {
    Metrics m = new Metrics();
    Metrics.Counter c = m.counter("demo_total", "A demo.", "outcome");
    c.inc("hit");
    c.add(2, "mi\"ss");
    Metrics.Histogram h = m.histogram("demo_seconds", "Latency.", 0.01, 0.1);
    h.observe(0.005);
    h.observe(0.05);
    m.gauge("demo_size", "Size.", List.of("ns"), () -> List.of(new Metrics.Sample(List.of("a"), 3)));

    // the Prometheus client's own text format: counters and gauges as floats, buckets as counts
    assertThat(m.render())
        .contains("# TYPE demo_total counter\n")
        .contains("demo_total{outcome=\"hit\"} 1.0\n")
        .contains("demo_total{outcome=\"mi\\\"ss\"} 2.0\n")
        .contains("demo_seconds_bucket{le=\"0.01\"} 1\n")
        .contains("demo_seconds_bucket{le=\"0.1\"} 2\n")
        .contains("demo_seconds_bucket{le=\"+Inf\"} 2\n")
        .contains("demo_seconds_count 2\n")
        .contains("demo_size{ns=\"a\"} 3.0\n")
        .doesNotContain("jvm_");
    assertThat(c.get("hit")).isEqualTo(1);
    assertThat(h.count()).isEqualTo(2);
    assertThat(m.names()).containsExactly("demo_total", "demo_seconds", "demo_size");
  }

  @Test
  void jvmMetricsAreOptIn() {
    assertThat(new Metrics().withJvmMetrics().render()).contains("jvm_memory_used_bytes");
  }

  @Test
  void rejectsDuplicatesAndBadNames() {
    Metrics m = new Metrics();
    m.counter("a_total", "x");
    assertThatThrownBy(() -> m.counter("a_total", "x")).hasMessageContaining("registered twice");
    assertThatThrownBy(() -> m.counter("bad-name_total", "x")).hasMessageContaining("invalid metric name");
    assertThatThrownBy(() -> m.counter("b_total", "x", "l").inc()).hasMessageContaining("takes 1 labels");
    assertThatThrownBy(() -> m.counter("c_count", "x")).hasMessageContaining("must end in _total");
  }
}
