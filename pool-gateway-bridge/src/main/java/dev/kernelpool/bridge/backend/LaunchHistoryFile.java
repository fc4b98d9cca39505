package dev.kernelpool.bridge.backend;

import dev.kernelpool.core.snapshot.LaunchRecorder;
import dev.kernelpool.core.snapshot.LaunchSeries;
import dev.kernelpool.core.snapshot.PoolProfile;
import dev.kernelpool.k8s.history.HistoryCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local backend's launch history on disk, so a restarted sidecar forecasts (and foresees
 * bursts) from the week it had learnt instead of from nothing. The format is the one a Kubernetes
 * pool keeps in its history ConfigMaps. Written whole to a private temporary file and moved into
 * place, so a crash leaves the old history or the new one, never half of one.
 *
 * <p>Whoever can write the file makes the history, and history sizes the pool: a file that is a
 * link, is not owned by the sidecar's user or is writable by others is refused (the sidecar does not
 * start). One that cannot be read as a history is moved aside, kept, and the sidecar starts with
 * none.
 */
public final class LaunchHistoryFile {
  private static final Logger LOG = LoggerFactory.getLogger(LaunchHistoryFile.class);

  private final Path file;
  private final String namespace;
  private long savedChanges = -1;
  private String lastFailure = "";

  /** {@code namespace}: the one namespace the local pool plans; launches of others are not loaded. */
  public LaunchHistoryFile(Path file, String namespace) {
    this.file = file.toAbsolutePath().normalize();
    this.namespace = namespace;
  }

  /**
   * Adds the saved launches of this namespace to {@code into}; returns how many profiles had some.
   * A missing file is an empty history.
   *
   * @throws PrivateDirectory.UnsafeDirectoryException when the file is not the sidecar's own
   */
  public int load(LaunchRecorder into) {
    String json;
    try {
      PrivateDirectory.checkOwnFile(file);
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      LOG.info("no launch history at {} yet: forecasts start from nothing", file);
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the launch history " + file + ": " + e.getMessage(), e);
    }
    HistoryCodec.Saved saved;
    try {
      saved = HistoryCodec.decode(json);
    } catch (IllegalArgumentException e) {
      Path aside = file.resolveSibling(file.getFileName() + ".unreadable");
      try {
        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException moveFailed) {
        throw new UncheckedIOException("the launch history " + file + " is unreadable (" + e.getMessage()
            + ") and cannot be moved aside: " + moveFailed.getMessage(), moveFailed);
      }
      LOG.warn("the launch history {} is unreadable ({}); kept as {}, starting with none", file, e.getMessage(), aside);
      return 0;
    }
    Map<PoolProfile, LaunchSeries> mine = new TreeMap<>(Comparator.comparing(PoolProfile::canonical));
    int others = 0;
    for (Map.Entry<PoolProfile, LaunchSeries> e : saved.launches().entrySet()) {
      if (e.getKey().namespace().equals(namespace)) {
        mine.put(e.getKey(), e.getValue());
      } else {
        others++;
      }
    }
    mine.forEach(into::recordAll);
    LOG.info("loaded the launch history {} (saved {}): {} profiles{}", file, saved.savedAt(), mine.size(),
        others == 0 ? "" : ", " + others + " of other namespaces ignored (this pool plans " + namespace + ")");
    return mine.size();
  }

  /**
   * Writes what {@code from} holds within its window, unless nothing was recorded since the last
   * save; returns whether it wrote. A failure is logged (once while it repeats) and retried at the
   * next save.
   */
  public synchronized boolean save(LaunchRecorder from, Instant now) {
    long changes = from.changes();
    if (changes == savedChanges) {
      return false;
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(tmp);
      try (var out = Files.newByteChannel(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
        ByteBuffer bytes = ByteBuffer.wrap(HistoryCodec.encode(now, from.export(now)).getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      savedChanges = changes;
      lastFailure = "";
      return true;
    } catch (IOException e) {
      String failure = e.getClass().getSimpleName() + ": " + e.getMessage();
      if (!failure.equals(lastFailure)) {
        LOG.warn("cannot save the launch history to {} ({}); retrying at the next save", file, failure);
        lastFailure = failure;
      }
      return false;
    }
  }
}
