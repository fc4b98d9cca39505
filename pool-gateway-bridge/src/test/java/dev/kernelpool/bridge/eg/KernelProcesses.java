package dev.kernelpool.bridge.eg;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The processes a test caused: the kernels it used (their pids, asked from inside each kernel) and
 * every process whose command line names one of its EG kernel ids (launch scripts, EG's cold
 * launchers). {@link #assertNoneLeft} waits for all of them to be gone.
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
  }
}
