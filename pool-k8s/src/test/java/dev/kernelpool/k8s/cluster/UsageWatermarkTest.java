package dev.kernelpool.k8s.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kernelpool.core.resource.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UsageWatermarkTest {
  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  @Test
  void aDipInReportedUsageHoldsAtTheWindowsHighestUntilItPasses() {
    UsageWatermark w = new UsageWatermark(Duration.ofSeconds(30));
    assertThat(w.observe("a", Resources.parse("cpu=8850m,pods=1"), T0)).isEqualTo(Resources.parse("cpu=8850m,pods=1"));
    // a recount that misses pods: others seem to use less
    assertThat(w.observe("a", Resources.parse("cpu=8250m,pods=1"), T0.plusSeconds(1))).isEqualTo(Resources.parse("cpu=8850m,pods=1"));
    // per resource: a rise of one and a dip of another
    assertThat(w.observe("a", Resources.parse("cpu=8000m,pods=3"), T0.plusSeconds(2))).isEqualTo(Resources.parse("cpu=8850m,pods=3"));
    // past the window the lower figures hold
    assertThat(w.observe("a", Resources.parse("cpu=8000m,pods=3"), T0.plusSeconds(40))).isEqualTo(Resources.parse("cpu=8000m,pods=3"));
    // namespaces are apart, and forgotten when gone
    assertThat(w.observe("b", Resources.parse("cpu=1"), T0.plusSeconds(40))).isEqualTo(Resources.parse("cpu=1"));
    w.retainOnly(Set.of("b"));
    assertThat(w.observe("a", Resources.parse("cpu=1m"), T0.plusSeconds(41))).isEqualTo(Resources.parse("cpu=1m"));
  }
}
