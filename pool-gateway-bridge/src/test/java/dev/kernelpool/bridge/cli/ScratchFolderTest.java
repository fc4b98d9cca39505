package dev.kernelpool.bridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ScratchFolderTest {

  @Test
  void aCommandsFolderGoesWithAllItHolds() throws Exception {
    Path path;
    try (ScratchFolder scratch = ScratchFolder.create("kernel-pool-test")) {
      path = scratch.path();
      Files.writeString(Files.createDirectories(path.resolve("work/logs")).resolve("pool-1.log"), "started");
    }
    assertThat(path).doesNotExist();
  }

  @Test
  void aKeptFolderStaysForItsUserToRead() throws Exception {
    Path path;
    try (ScratchFolder scratch = ScratchFolder.create("kernel-pool-test")) {
      path = scratch.path();
      Files.writeString(path.resolve("sidecar.log"), "did not warm up");
      scratch.keep();
    }
    try {
      assertThat(path.resolve("sidecar.log")).hasContent("did not warm up");
    } finally {
      Files.delete(path.resolve("sidecar.log"));
      Files.delete(path);
    }
  }
}
