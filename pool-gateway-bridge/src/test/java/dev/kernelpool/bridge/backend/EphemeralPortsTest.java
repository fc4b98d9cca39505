package dev.kernelpool.bridge.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EphemeralPortsTest {
  @TempDir Path dir;

  @Test
  void readsTheKernelsFileAsLinuxWritesIt() throws Exception {
    Path file = Files.writeString(dir.resolve("ip_local_port_range"), "32768\t60999\n");
    assertThat(EphemeralPorts.of(file)).contains(new EphemeralPorts(32768, 60999));
  }

  @Test
  void anAbsentOrGarbledFileIsNoRange() throws Exception {
    assertThat(EphemeralPorts.of(dir.resolve("absent"))).isEmpty();
    assertThat(EphemeralPorts.of(Files.writeString(dir.resolve("garbled"), "lots"))).isEmpty();
  }

  @Test
  void aRangeThatOverlapsTheEphemeralPortsIsNamedWithWhatToDo() {
    EphemeralPorts linux = new EphemeralPorts(32768, 60999);
    assertThat(linux.overlap("local.portRange", "50000..59999")).hasValueSatisfying(m -> assertThat(m)
        .contains("local.portRange 50000..59999 overlaps this host's ephemeral ports 32768..60999")
        .contains("Address already in use").contains("below 32768"));
    assertThat(linux.overlap("local.portRange", "31000..32768")).isPresent();
    assertThat(linux.overlap("local.portRange", "60999..62000")).isPresent();
  }

  @Test
  void aRangeApartFromThemOrAnyFreePortIsFine() {
    EphemeralPorts linux = new EphemeralPorts(32768, 60999);
    assertThat(linux.overlap("local.portRange", "20000..29999")).isEmpty();
    assertThat(linux.overlap("local.portRange", "61000..62000")).isEmpty();
    assertThat(linux.overlap("local.portRange", "0..0")).as("any free port is asked for on purpose").isEmpty();
  }
}
