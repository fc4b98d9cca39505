package dev.kernelpool.bridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StatusCommandTest {
  @Test
  void printsOneRowPerProfileAndOneForAnEmptyNamespace() throws Exception {
    String pools = "{\"namespaces\":["
        + "{\"namespace\":\"team-a\",\"eligibility\":\"ELIGIBLE\",\"profiles\":[{\"kernelspec\":\"python3\",\"profile\":\"ab12\","
        + "\"warm\":2,\"target\":3,\"hits\":10,\"misses\":1,\"oldest_age_seconds\":5400}]},"
        + "{\"namespace\":\"team-b\",\"eligibility\":\"NO_QUOTA\",\"profiles\":[]}]}";
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    StatusCommand.print(new ObjectMapper().readTree(pools), new PrintStream(bytes, true, StandardCharsets.UTF_8));

    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).startsWith("NAMESPACE");
    assertThat(lines[1]).contains("team-a", "python3", "ab12", "2/3", "10", "1", "90m");
    assertThat(lines[2]).contains("team-b", "NO_QUOTA");
  }
}
