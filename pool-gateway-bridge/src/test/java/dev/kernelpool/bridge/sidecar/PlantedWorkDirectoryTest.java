package dev.kernelpool.bridge.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kernelpool.bridge.backend.PrivateDirectory;
import dev.kernelpool.bridge.backend.Scripts;
import dev.kernelpool.bridge.config.SidecarConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack of the security probe: a local user creates the sidecar's work directory before it
 * starts (mode 0777), with a token of their own and a launcher that runs their code. The sidecar
 * must neither accept that token nor run that launcher: it refuses to start, saying why.
 */
class PlantedWorkDirectoryTest {
  @TempDir Path dir;

  @Test
  void aPlantedWorkDirectoryIsRefusedBeforeAnythingInItIsReadOrRun() throws Exception {
    Path planted = Files.createDirectory(dir.resolve("kernel-pool"));
    Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.writeString(planted.resolve("token"), "attackers-token");
    Path marker = dir.resolve("pwned");
    Files.writeString(planted.resolve(Scripts.KERNEL_LAUNCHER), "open('" + marker + "', 'w').write('ran')\n");
    SidecarConfig config = SidecarConfig.localPool(planted, "/usr/bin/python3", 1);

    assertThatThrownBy(() -> Sidecar.start(config, Clock.systemUTC()))
        .isInstanceOf(PrivateDirectory.UnsafeDirectoryException.class)
        .hasMessageContaining(planted.toString());

    assertThat(marker).doesNotExist();
    assertThat(Files.readString(planted.resolve(Scripts.KERNEL_LAUNCHER))).contains(marker.toString());
  }
}
