package dev.kernelpool.bridge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kernelpool.bridge.backend.Scripts;
import dev.kernelpool.bridge.bench.LocalIpykernel;
import dev.kernelpool.k8s.testing.KubeletSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What the kubelet simulator runs for a kernel pod, as a kernel image's bootstrap does: a launcher
 * with a real ipykernel, started from the pod's environment. A pool pod runs the pool's
 * EG-compatible launcher and reports to the sidecar; a pod EG's {@code launch_kubernetes.py}
 * created ({@code source: kernel-pod.yaml}) runs EG's own {@code launch_ipykernel.py} with the pod's
 * {@code KERNEL_ID}, {@code RESPONSE_ADDRESS}, {@code PUBLIC_KEY} and {@code PORT_RANGE}, as EG's
 * kernel images do, and reports to EG: a cold start for real.
 */
public final class KernelPodRuntime implements KubeletSimulator.PodRuntime, AutoCloseable {
  /**
   * The ports pool pods' kernels take. Pods run here on the host's network, not in one of their own,
   * and a launcher picks its kernel's ports before the kernel binds them: within the host's ephemeral
   * ports (32768 and up) any outgoing connection could take one first. EG's pods take EG's
   * {@code EG_PORT_RANGE}, which the suites set apart from this.
   */
  public static final String POOL_POD_PORTS = "20000..29999";
  private final Path dir;
  private final Path launcher;
  private final Optional<Path> egLauncher;
  private final Map<String, Process> running = new ConcurrentHashMap<>();

  /** Pool pods only. */
  public KernelPodRuntime(Path dir) {
    this(dir, Optional.empty());
  }

  /** @param egLauncher EG's {@code launch_ipykernel.py}, for the pods EG creates itself */
  public KernelPodRuntime(Path dir, Optional<Path> egLauncher) {
    this.dir = dir;
    this.launcher = Scripts.extract(Scripts.KERNEL_LAUNCHER, dir);
    this.egLauncher = egLauncher;
  }

  @Override
  public void start(ObjectNode pod, Runnable exited) throws Exception {
    Map<String, String> env = new HashMap<>();
    for (JsonNode e : pod.path("spec").path("containers").get(0).path("env")) {
      env.put(e.path("name").asText(), e.path("value").asText());
    }
    String name = pod.path("metadata").path("name").asText();
    boolean egs = "kernel-pod.yaml".equals(pod.path("metadata").path("labels").path("source").asText());
    List<String> command = egs
        ? List.of(LocalIpykernel.PYTHON, egLauncher.orElseThrow(() -> new IllegalStateException("no EG launcher for EG's pod " + name)).toString(),
            "--RemoteProcessProxy.kernel-id", env.get("KERNEL_ID"),
            "--RemoteProcessProxy.response-address", env.get("RESPONSE_ADDRESS"),
            "--RemoteProcessProxy.public-key", env.get("PUBLIC_KEY"),
            "--RemoteProcessProxy.port-range", env.getOrDefault("PORT_RANGE", "0..0"),
            "--RemoteProcessProxy.spark-context-initialization-mode", "none")
        : List.of(LocalIpykernel.PYTHON, launcher.toString(),
            "--RemoteProcessProxy.kernel-id", env.get("KERNEL_ID"),
            "--RemoteProcessProxy.response-address", env.get("EG_RESPONSE_ADDRESS"),
            "--RemoteProcessProxy.public-key", env.get("EG_PUBLIC_KEY"),
            "--ip", pod.path("status").path("podIP").asText("127.0.0.1"),
            "--RemoteProcessProxy.port-range", POOL_POD_PORTS,
            "--kernel-name", env.get("KERNEL_NAME"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(name).toFile());
    if (egs) {
      builder.environment().putAll(env);
    }
    // the pod's own temporary folder, as a container's /tmp: what its launcher leaves there (EG's keeps a
    // killed kernel's connection file) goes with the runtime's folder
    builder.environment().put("TMPDIR", Files.createDirectories(dir.resolve(name + ".tmp")).toString());
    Process p = builder.start();
    running.put(pod.path("metadata").path("namespace").asText() + "/" + name, p);
    p.onExit().thenRun(exited);
  }

  /** What the pod's kernel printed: its launcher's and ipykernel's output. */
  public Path log(String podName) {
    return dir.resolve(podName + ".log");
  }

  @Override
  public void stop(String namespace, String name) {
    Process p = running.remove(namespace + "/" + name);
    if (p != null) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      try {
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Kills every kernel still running: those EG got included, as deleting their pods would. */
  @Override
  public void close() {
    stopAll();
  }

  public void stopAll() {
    running.keySet().forEach(k -> {
      String[] p = k.split("/", 2);
      stop(p[0], p[1]);
    });
  }
}
