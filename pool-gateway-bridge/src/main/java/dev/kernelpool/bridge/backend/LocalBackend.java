package dev.kernelpool.bridge.backend;

import dev.kernelpool.bridge.launcher.CommPortClient;
import dev.kernelpool.bridge.launcher.ResponseAddress;
import dev.kernelpool.bridge.pool.PoolKernel;
import dev.kernelpool.core.snapshot.PoolProfile;
import dev.kernelpool.bridge.launcher.LauncherResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Set;
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
 *
 * <p>Each kernel gets a per-kernel report secret on its stdin (never on a command line, where
 * every local user could read it) and a minimal environment ({@link #START_ENVIRONMENT}): it takes
 * the launch's own environment when claimed. Its output goes to a log in the private work
 * directory, removed when the kernel ends; a kernel that ends on its own while in the pool has the
 * log's last lines written to the sidecar's log.
 */
public final class LocalBackend implements KernelBackend {
  private static final Logger LOG = LoggerFactory.getLogger(LocalBackend.class);
  private static final Duration GRACE = Duration.ofSeconds(3);
  /** The variables pool kernels start with; a claim replaces them by the launch's environment. */
  public static final Set<String> START_ENVIRONMENT = Set.of("PATH", "LANG", "HOME", "USER", "LOGNAME");
  private static final String SAFE_PATH = "/usr/local/bin:/usr/bin:/bin";
  private static final int LOG_LINES_KEPT = 8;

  /**
   * @param python the interpreter with ipykernel and pycryptodome (Debian's {@code /usr/bin/python3})
   * @param workDir where the launcher script and kernel logs go
   * @param bindIp the address kernels listen on
   * @param portRange the ports kernels take ({@code lower..upper}, or {@code 0..0} for any free
   *     port); a range apart from EG's {@code EG_PORT_RANGE} keeps pool kernels and EG's cold
   *     launchers from picking the same free port at once
   */
  public record Settings(String python, Path workDir, String namespace, String bindIp, String portRange,
      List<PoolProfile> declaredProfiles) {
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
  private final Map<String, byte[]> secrets = new ConcurrentHashMap<>();
  /** EG kernel id -> the pool kernel handed out for it, while that kernel runs. */
  private final Map<String, String> boundTo = new ConcurrentHashMap<>();
  private final Set<String> stopping = ConcurrentHashMap.newKeySet();
  /** The last output of kernels that ended on their own, until the controller asked for it. */
  private final Map<String, String> exitCauses = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private volatile Consumer<String> gone = id -> {};

  public LocalBackend(Settings settings, ResponseAddress responseAddress, String publicKey) {
    this.settings = settings;
    this.responseAddress = responseAddress;
    this.publicKey = publicKey;
    this.launcher = Scripts.extract(Scripts.KERNEL_LAUNCHER, settings.workDir());
    EphemeralPorts.of(EphemeralPorts.LINUX).flatMap(p -> p.overlap("local.portRange", settings.portRange())).ifPresent(LOG::warn);
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
                "--RemoteProcessProxy.port-range", settings.portRange(),
                "--ip", settings.bindIp(),
                "--kernel-name", profile.kernelspec(),
                "--report-secret=stdin",
                "--exit-with-parent=unclaimed"));
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String secretText = HexFormat.of().formatHex(secret);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(logFile(memberId).toFile());
    Map<String, String> env = builder.environment();
    Map<String, String> inherited = Map.copyOf(env);
    env.clear();
    for (String name : START_ENVIRONMENT) {
      if (name.equals("PATH")) {
        env.put(name, SAFE_PATH); // never the sidecar's own
      } else if (inherited.containsKey(name)) {
        env.put(name, inherited.get(name));
      }
    }
    try {
      Process p = builder.start();
      secrets.put(memberId, secretText.getBytes(StandardCharsets.US_ASCII));
      try (OutputStream stdin = p.getOutputStream()) {
        stdin.write((secretText + "\n").getBytes(StandardCharsets.US_ASCII));
      } catch (IOException e) {
        LOG.debug("kernel {} closed its stdin early: {}", memberId, e.getMessage());
      }
      owned.put(memberId, p);
      p.onExit().thenRun(() -> exited(memberId));
      LOG.debug("started local kernel {} (pid {})", memberId, p.pid());
    } catch (IOException e) {
      throw new BackendException("cannot start " + settings.python() + " " + launcher + ": " + e.getMessage(), e);
    }
  }

  private Path logFile(String memberId) {
    return settings.workDir().resolve(memberId + ".log");
  }

  private void exited(String memberId) {
    released.remove(memberId);
    boundTo.values().remove(memberId);
    secrets.remove(memberId);
    boolean asked = stopping.remove(memberId);
    Process p = owned.remove(memberId);
    if (p != null && !asked) {
      String cause = "status " + p.exitValue() + ", last output: " + lastLines(memberId);
      exitCauses.put(memberId, cause);
      LOG.warn("pool kernel {} exited on its own ({})", memberId, cause);
    }
    try {
      Files.deleteIfExists(logFile(memberId));
    } catch (IOException e) {
      LOG.debug("cannot remove the log of {}: {}", memberId, e.getMessage());
    }
    if (p != null) {
      gone.accept(memberId);
    }
  }

  private String lastLines(String memberId) {
    try {
      List<String> lines = Files.readAllLines(logFile(memberId), StandardCharsets.UTF_8);
      List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_LINES_KEPT), lines.size());
      return tail.isEmpty() ? "(none)" : String.join(" | ", tail);
    } catch (IOException | RuntimeException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public boolean knowsNamespace(String namespace) {
    return settings.namespace().equals(namespace);
  }

  @Override
  public Optional<String> exitCause(String memberId) {
    return Optional.ofNullable(exitCauses.remove(memberId));
  }

  @Override
  public boolean authentic(LauncherResponse response, java.net.InetAddress peer) {
    byte[] expected = secrets.get(response.kernelId());
    return expected != null
        && response.reportSecret()
            .map(s -> MessageDigest.isEqual(expected, s.getBytes(StandardCharsets.US_ASCII)))
            .orElse(false);
  }

  @Override
  public Optional<KernelProcess> process(PoolKernel kernel) {
    Process p = released.get(kernel.id());
    if (p == null || kernel.launch().isEmpty() || kernel.launch().get().commPort().isEmpty()) {
      return Optional.empty();
    }
    LauncherResponse launch = kernel.launch().get();
    return Optional.of(new KernelProcess(p.pid(), launch.connectionInfo().ip(), launch.commPort().getAsInt()));
  }

  @Override
  public Optional<Set<String>> replacedEnvironment() {
    return Optional.of(START_ENVIRONMENT);
  }

  @Override
  public void stop(PoolKernel kernel) {
    // A bound kernel whose hand-off failed is stopped too: EG never got it.
    Process p = owned.containsKey(kernel.id()) ? owned.get(kernel.id()) : released.remove(kernel.id());
    stopping.add(kernel.id());
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
      boundTo.put(egKernelId, kernel.id());
    }
  }

  @Override
  public boolean serves(String egKernelId) {
    String memberId = boundTo.get(egKernelId);
    return memberId != null && released.containsKey(memberId);
  }

  @Override
  public void onKernelGone(Consumer<String> callback) {
    this.gone = callback;
  }

  /**
   * Ends every kernel the pool still owns: SIGTERM first (the launcher removes the connection file
   * of a kernel still starting), SIGKILL to what is left after the grace period. Released (claimed)
   * kernels are EG's and stay.
   */
  @Override
  public void close() {
    stopping.addAll(owned.keySet());
    Map<Process, List<ProcessHandle>> ending = new HashMap<>();
    for (Process p : owned.values()) {
      ending.put(p, p.descendants().toList());
      p.destroy();
    }
    long until = System.nanoTime() + GRACE.toNanos();
    try {
      for (Map.Entry<Process, List<ProcessHandle>> e : ending.entrySet()) {
        e.getKey().waitFor(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
        e.getValue().forEach(ProcessHandle::destroyForcibly);
        e.getKey().destroyForcibly();
        e.getKey().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    owned.clear();
  }
}
