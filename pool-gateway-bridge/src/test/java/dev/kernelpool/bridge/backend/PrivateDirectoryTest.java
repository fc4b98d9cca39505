package dev.kernelpool.bridge.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateDirectoryTest {
  @TempDir Path dir;

  @Test
  void createsAMissingDirectoryForItsUserAlone() throws Exception {
    Path work = PrivateDirectory.ensure(dir.resolve("a/b/work"));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work))).isEqualTo("rwx------");
  }

  @Test
  void refusesADirectoryOthersCanWriteTo() throws Exception {
    // As the probe did: a local user creates the default work directory first, mode 0777.
    Path planted = Files.createDirectory(dir.resolve("kernel-pool"));
    Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwxrwxrwx"));

    assertThatThrownBy(() -> PrivateDirectory.ensure(planted))
        .isInstanceOf(PrivateDirectory.UnsafeDirectoryException.class)
        .hasMessageContaining("has mode rwxrwxrwx");
  }

  @Test
  void refusesALinkToADirectory() throws Exception {
    Path target = Files.createDirectory(dir.resolve("elsewhere"));
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
    Path link = Files.createSymbolicLink(dir.resolve("kernel-pool"), target);

    assertThatThrownBy(() -> PrivateDirectory.ensure(link)).hasMessageContaining("not a directory");
  }

  @Test
  void refusesADirectoryAnotherUserOwns() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to give a directory away");
    Path planted = Files.createDirectory(dir.resolve("kernel-pool"));
    Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwx------"));
    UserPrincipal nobody = planted.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Files.setOwner(planted, nobody);

    assertThatThrownBy(() -> PrivateDirectory.ensure(planted)).hasMessageContaining("is owned by nobody");
  }
}
