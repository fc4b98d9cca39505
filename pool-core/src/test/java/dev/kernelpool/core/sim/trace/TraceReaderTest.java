package dev.kernelpool.core.sim.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kernelpool.core.resource.Resources;
import java.io.BufferedReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TraceReaderTest {
  private static List<Launch> read(String text) {
    return TraceReader.read(new BufferedReader(new StringReader(text)), "t.csv");
  }

  @Test
  void readsRowsWithQuantities() {
    List<Launch> l = read(TraceReader.HEADER + "\n1000,ns,python3,500m,2Gi,60\n\n2000,ns,r,1,1e3,0\n");

    assertThat(l).hasSize(2);
    assertThat(l.get(0).cpuMilli()).isEqualTo(500);
    assertThat(l.get(0).memoryMilli()).isEqualTo(2L * 1024 * 1024 * 1024 * 1000);
    assertThat(l.get(1).memoryMilli()).isEqualTo(1_000_000);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "ts,ns,spec,cpu,memory,duration | t.csv:1: expected the header",
        "HEADER\\n1000,ns,py,1,1Gi | t.csv:2: expected 6 fields, got 5",
        "HEADER\\nabc,ns,py,1,1Gi,5 | t.csv:2: timestamp_ms is not a whole number",
        "HEADER\\n1000,ns,py,1,1Gi,5\\n999,ns,py,1,1Gi,5 | t.csv:3: rows must be in time order",
        "HEADER\\n1000,ns,py,lots,1Gi,5 | t.csv:2: cpu: invalid quantity 'lots'",
        "HEADER\\n1000,,py,1,1Gi,5 | t.csv:2: namespace and kernelspec must not be empty",
        "HEADER\\n1000,ns,py,1,1Gi,-5 | t.csv:2: duration_s must not be negative",
      })
  void badRowsStopWithTheirLineNumber(String text, String message) {
    String trace = text.replace("HEADER", TraceReader.HEADER).replace("\\n", "\n");
    assertThatThrownBy(() -> read(trace)).isInstanceOf(TraceFormatException.class).hasMessageStartingWith(message.trim());
  }

  @Test
  void writeThenReadRoundTrips() throws Exception {
    List<Launch> launches = new TraceGenerator(3).generate(Scenario.DIURNAL).launches().subList(0, 50);
    StringWriter out = new StringWriter();
    TraceReader.write(launches, out);

    assertThat(read(out.toString())).isEqualTo(launches);
  }

  @Test
  void quotaFilesRoundTripAndRejectDuplicates() throws Exception {
    StringWriter out = new StringWriter();
    QuotaFileReader.write(Map.of("a", Resources.parse("cpu=4,memory=16Gi,pods=10")), out);

    assertThat(QuotaFileReader.read(new BufferedReader(new StringReader(out.toString())), "q.csv"))
        .containsEntry("a", Resources.parse("cpu=4,memory=16Gi,pods=10"));
    assertThatThrownBy(() -> QuotaFileReader.read(new BufferedReader(new StringReader(
        QuotaFileReader.HEADER + "\na,1,1Gi,1\na,1,1Gi,1\n")), "q.csv"))
        .hasMessage("q.csv:3: namespace a listed twice");
  }
}
