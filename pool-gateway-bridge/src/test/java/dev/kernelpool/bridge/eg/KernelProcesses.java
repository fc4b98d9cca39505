package dev.kernelpool.bridge.eg;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The processes a test caused: the kernels it used (their pids, asked from inside each kernel) and
 * every process whose command line names one of its EG kernel ids (launch scripts, EG's cold
 * launchers). {@link #assertNoneLeft} waits for all of them to be gone, then deletes their connection files.
 */
final class KernelProcesses {
  private final Set<Long> pids = ConcurrentHashMap.newKeySet();
  private final Set<String> kernelIds = ConcurrentHashMap.newKeySet();

  void kernel(String egKernelId) {
    kernelIds.add(egKernelId);
  }

  void pid(long pid) {
    pids.add(pid);
  }

  /** Every process of this test still running, with its command line. */
  List<String> running() {
    List<String> left = new ArrayList<>();
    ProcessHandle.allProcesses().forEach(p -> {
      String cmd = p.info().commandLine().orElse("");
      if (pids.contains(p.pid()) || kernelIds.stream().anyMatch(cmd::contains)) {
        left.add(p.pid() + " " + cmd);
      }
    });
    return left;
  }

  void assertNoneLeft() {
    await("no kernel process of this test left running").atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100)).until(() -> running().isEmpty());
    removeConnectionFiles();
  }

  /**
   * Deletes what EG's launcher leaves of a kernel killed under it: its connection file, {@code
   * kernel-ID_*.json} in the temporary folder (EG passes its kernels no TMPDIR of ours: they inherit
   * only EG's whitelisted variables).
   */
  private void removeConnectionFiles() {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of(System.getProperty("java.io.tmpdir")), "kernel-*.json")) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (kernelIds.stream().anyMatch(id -> name.startsWith("kernel-" + id + "_"))) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
