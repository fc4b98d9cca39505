package dev.kernelpool.bridge.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kernelpool.bridge.backend.Scripts;
import dev.kernelpool.bridge.bench.LocalIpykernel;
import dev.kernelpool.k8s.testing.KubeletSimulator;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What the kubelet simulator runs for a pool pod: EG's launcher with a real ipykernel, started from
 * the pod's environment as a kernel image's entrypoint would be, reporting to the sidecar.
 */
final class KernelPodRuntime implements KubeletSimulator.PodRuntime {
  private final Path dir;
  private final Path launcher;
  private final Map<String, Process> running = new ConcurrentHashMap<>();

  KernelPodRuntime(Path dir) {
    this.dir = dir;
    this.launcher = Scripts.extract(Scripts.KERNEL_LAUNCHER, dir);
  }

  @Override
  public void start(ObjectNode pod, Runnable exited) throws Exception {
    Map<String, String> env = new HashMap<>();
    for (JsonNode e : pod.path("spec").path("containers").get(0).path("env")) {
      env.put(e.path("name").asText(), e.path("value").asText());
    }
    String name = pod.path("metadata").path("name").asText();
    Process p = new ProcessBuilder(List.of(LocalIpykernel.PYTHON, launcher.toString(),
        "--RemoteProcessProxy.kernel-id", env.get("KERNEL_ID"),
        "--RemoteProcessProxy.response-address", env.get("EG_RESPONSE_ADDRESS"),
        "--RemoteProcessProxy.public-key", env.get("EG_PUBLIC_KEY"),
        "--ip", pod.path("status").path("podIP").asText("127.0.0.1"),
        "--kernel-name", env.get("KERNEL_NAME")))
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile())
        .start();
    running.put(pod.path("metadata").path("namespace").asText() + "/" + name, p);
    p.onExit().thenRun(exited);
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
  void stopAll() {
    running.keySet().forEach(k -> {
      String[] p = k.split("/", 2);
      stop(p[0], p[1]);
    });
  }
}
