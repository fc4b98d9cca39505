package dev.kernelpool.bridge.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.LaunchRecorder;
import dev.kernelpool.core.snapshot.LaunchSeries;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchHistoryFileTest {
  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
  private static final PoolProfile PY = PoolProfile.of("local", "python3", "local", Resources.parse("cpu=500m,memory=512Mi"));
  private static final PoolProfile R = PoolProfile.of("local", "ir", "local", Resources.parse("cpu=1,memory=1Gi"));
  private static final PoolProfile ELSEWHERE = PoolProfile.of("team-b", "python3", "local", Resources.parse("cpu=1"));

  @TempDir Path dir;
  private Path work;
  private Path file;

  @BeforeEach
  void privateWorkDirectory() {
    work = PrivateDirectory.ensure(dir.resolve("work"));
    file = work.resolve("launch-history.json");
  }

  private static LaunchRecorder recorder() {
    return new LaunchRecorder(Duration.ofDays(7));
  }

  @Test
  void aRestartedSidecarForecastsFromTheLaunchesTheLastOneSaved() throws Exception {
    LaunchRecorder before = recorder();
    before.record(PY, NOW.minus(Duration.ofDays(2)));
    before.record(PY, NOW.minus(Duration.ofHours(3)));
    before.record(R, NOW.minusSeconds(90));
    before.record(ELSEWHERE, NOW.minusSeconds(60));

    assertThat(new LaunchHistoryFile(file, "local").save(before, NOW)).isTrue();
    LaunchRecorder after = recorder();
    int profiles = new LaunchHistoryFile(file, "local").load(after);

    assertThat(profiles).isEqualTo(2);
    assertThat(after.history("local", NOW).series()).isEqualTo(Map.of(
        PY, LaunchSeries.ofEpochMillis(NOW.minus(Duration.ofDays(2)).toEpochMilli(), NOW.minus(Duration.ofHours(3)).toEpochMilli()),
        R, LaunchSeries.ofEpochMillis(NOW.minusSeconds(90).toEpochMilli())));
    assertThat(after.history("team-b", NOW).series()).as("another namespace's launches are not this pool's").isEmpty();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(work.resolve("launch-history.json.tmp")).doesNotExist();
  }

  @Test
  void writesOnlyWhenSomethingWasLaunchedSinceTheLastSave() {
    LaunchRecorder launches = recorder();
    launches.record(PY, NOW);
    LaunchHistoryFile history = new LaunchHistoryFile(file, "local");

    assertThat(history.save(launches, NOW)).isTrue();
    assertThat(history.save(launches, NOW.plusSeconds(60))).isFalse();
    launches.record(PY, NOW.plusSeconds(61));
    assertThat(history.save(launches, NOW.plusSeconds(120))).isTrue();
  }

  @Test
  void aMissingFileIsAnEmptyHistory() {
    LaunchRecorder launches = recorder();

    assertThat(new LaunchHistoryFile(file, "local").load(launches)).isZero();
    assertThat(launches.export(NOW)).isEmpty();
  }

  @Test
  void anUnreadableFileIsKeptAsideAndTheSidecarStartsWithNoHistory() throws Exception {
    Files.writeString(file, "{\"version\": 1, \"profiles\": [ {\"profile\": 42");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    LaunchRecorder launches = recorder();

    assertThat(new LaunchHistoryFile(file, "local").load(launches)).isZero();
    assertThat(file).doesNotExist();
    assertThat(work.resolve("launch-history.json.unreadable")).hasContent("{\"version\": 1, \"profiles\": [ {\"profile\": 42");
    assertThat(launches.export(NOW)).isEmpty();
  }

  /** Whoever writes the history sizes the pool: a file others can change is refused, not read. */
  @Test
  void refusesAHistoryOthersCanWrite() throws Exception {
    LaunchRecorder planted = recorder();
    for (int i = 0; i < 500; i++) {
      planted.record(PY, NOW.minusSeconds(i));
    }
    new LaunchHistoryFile(file, "local").save(planted, NOW);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
    LaunchRecorder launches = recorder();

    assertThatThrownBy(() -> new LaunchHistoryFile(file, "local").load(launches))
        .isInstanceOf(PrivateDirectory.UnsafeDirectoryException.class)
        .hasMessageContaining("rw-rw-rw-");
    assertThat(launches.export(NOW)).isEmpty();
  }

  @Test
  void refusesALinkAndADirectoryOthersCanWriteTo() throws Exception {
    Path target = Files.writeString(work.resolve("real.json"), "{}");
    Path link = Files.createSymbolicLink(work.resolve("link.json"), target);
    assertThatThrownBy(() -> new LaunchHistoryFile(link, "local").load(recorder()))
        .isInstanceOf(PrivateDirectory.UnsafeDirectoryException.class)
        .hasMessageContaining("not a regular file");

    Path shared = Files.createDirectory(dir.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> new LaunchHistoryFile(shared.resolve("h.json"), "local").load(recorder()))
        .isInstanceOf(PrivateDirectory.UnsafeDirectoryException.class)
        .hasMessageContaining("lets others replace h.json");
  }

  @Test
  void aSaveThatFailsKeepsTheLastHistoryAndSucceedsOnceItCan() throws Exception {
    LaunchRecorder launches = recorder();
    launches.record(PY, NOW.minusSeconds(600));
    LaunchHistoryFile history = new LaunchHistoryFile(file, "local");
    history.save(launches, NOW);
    String saved = Files.readString(file);
    // what is in the way of the temporary file (a directory with something in it) fails the write
    Path blocker = Files.createDirectories(work.resolve("launch-history.json.tmp/x"));
    launches.record(PY, NOW);

    assertThat(history.save(launches, NOW.plusSeconds(60))).isFalse();
    assertThat(file).hasContent(saved);

    Files.delete(blocker);
    Files.delete(blocker.getParent());
    assertThat(history.save(launches, NOW.plusSeconds(120))).isTrue();
    LaunchRecorder restored = recorder();
    new LaunchHistoryFile(file, "local").load(restored);
    assertThat(restored.history("local", NOW.plusSeconds(120)).series().get(PY).size()).isEqualTo(2);
  }
}
