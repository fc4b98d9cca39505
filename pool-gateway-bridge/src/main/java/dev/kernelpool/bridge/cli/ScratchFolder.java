package dev.kernelpool.bridge.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The temporary folder a command works in (its sidecar's work directory, scripts, logs), deleted
 * with all it holds when the command ends, unless the command keeps it for a user to read.
 */
final class ScratchFolder implements AutoCloseable {
  private final Path path;
  private boolean keep;

  private ScratchFolder(Path path) {
    this.path = path;
  }

  static ScratchFolder create(String prefix) throws IOException {
    return new ScratchFolder(Files.createTempDirectory(prefix));
  }

  Path path() {
    return path;
  }

  /** Leaves the folder in place: a failure's message points into it. */
  void keep() {
    keep = true;
  }

  @Override
  public void close() throws IOException {
    if (keep) {
      return;
    }
    try (Stream<Path> all = Files.walk(path)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
