package dev.kernelpool.bridge.backend;

import dev.kernelpool.bridge.launcher.CommPortClient;
import dev.kernelpool.bridge.launcher.ResponseAddress;
import dev.kernelpool.bridge.pool.PoolKernel;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pool kernels as local processes: each is {@code kernel_launcher.py}, which reports to the
 * sidecar's response address and runs an ipykernel. One namespace, no quota: the pool budget comes
 * from configuration. Claimed kernels belong to EG and are left running; pool-owned ones are
 * stopped through their comm port, then killed after a grace period.
 */
public final class LocalBackend implements KernelBackend {
  private static final Logger LOG = LoggerFactory.getLogger(LocalBackend.class);
  private static final Duration GRACE = Duration.ofSeconds(3);

  /**
   * @param python the interpreter with ipykernel and pycryptodome (Debian's {@code /usr/bin/python3})
   * @param workDir where the launcher script and kernel logs go
   * @param bindIp the address kernels listen on
   */
  public record Settings(String python, Path workDir, String namespace, String bindIp, List<PoolProfile> declaredProfiles) {
    public Settings {
      declaredProfiles = List.copyOf(declaredProfiles);
    }
  }

  private final Settings settings;
  private final ResponseAddress responseAddress;
  private final String publicKey;
  private final Path launcher;
  private final CommPortClient commPort = new CommPortClient(Duration.ofSeconds(2));
  private final Map<String, Process> owned = new ConcurrentHashMap<>();
  private final Map<String, Process> released = new ConcurrentHashMap<>();
  private volatile Consumer<String> gone = id -> {};

  public LocalBackend(Settings settings, ResponseAddress responseAddress, String publicKey) {
    this.settings = settings;
    this.responseAddress = responseAddress;
    this.publicKey = publicKey;
    this.launcher = Scripts.extract(Scripts.KERNEL_LAUNCHER, settings.workDir());
  }

  @Override
  public List<NamespaceView> namespaces() {
    return List.of(new NamespaceView(settings.namespace(), Map.of(), Optional.empty(), settings.declaredProfiles()));
  }

  @Override
  public void start(String memberId, PoolProfile profile) throws BackendException {
    List<String> command =
        new ArrayList<>(
            List.of(
                settings.python(),
                launcher.toString(),
                "--RemoteProcessProxy.kernel-id", memberId,
                "--RemoteProcessProxy.response-address", responseAddress.toString(),
                "--RemoteProcessProxy.public-key", publicKey,
                "--ip", settings.bindIp(),
                "--kernel-name", profile.kernelspec()));
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(settings.workDir().resolve(memberId + ".log").toFile())
              .start();
      owned.put(memberId, p);
      p.onExit().thenRun(() -> exited(memberId));
      LOG.debug("started local kernel {} (pid {})", memberId, p.pid());
    } catch (IOException e) {
      throw new BackendException("cannot start " + settings.python() + " " + launcher + ": " + e.getMessage(), e);
    }
  }

  private void exited(String memberId) {
    released.remove(memberId);
    if (owned.remove(memberId) != null) {
      gone.accept(memberId);
    }
  }

  @Override
  public void stop(PoolKernel kernel) {
    // A bound kernel whose hand-off failed is stopped too: EG never got it.
    Process p = owned.containsKey(kernel.id()) ? owned.get(kernel.id()) : released.remove(kernel.id());
    kernel.launch()
        .flatMap(l -> l.commPort().isPresent() ? Optional.of(l.commPort().getAsInt()) : Optional.empty())
        .ifPresent(
            port -> {
              try {
                commPort.shutdown(new InetSocketAddress(kernel.launch().get().connectionInfo().ip(), port));
              } catch (IOException e) {
                LOG.debug("comm port of {} did not take shutdown: {}", kernel.id(), e.getMessage());
              }
            });
    if (p != null) {
      p.onExit().orTimeout(GRACE.toMillis(), TimeUnit.MILLISECONDS).exceptionally(t -> {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        return p;
      });
    }
  }

  @Override
  public void bind(PoolKernel kernel, String egKernelId) {
    Process p = owned.remove(kernel.id());
    if (p != null) {
      released.put(kernel.id(), p);
    }
  }

  @Override
  public void onKernelGone(Consumer<String> callback) {
    this.gone = callback;
  }

  /** Kills every kernel the pool still owns; released (claimed) kernels are EG's and stay. */
  @Override
  public void close() {
    for (Process p : owned.values()) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : owned.values()) {
      try {
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    owned.clear();
  }
}
