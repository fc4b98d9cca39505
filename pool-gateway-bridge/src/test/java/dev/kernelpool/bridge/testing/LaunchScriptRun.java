package dev.kernelpool.bridge.testing;

import dev.kernelpool.bridge.backend.Scripts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the kernelspec launch script as EG would: the script, then {@code --}, then the cold
 * launcher (our EG-compatible kernel launcher) with EG's arguments, and a {@code KERNEL_*}
 * environment.
 */
public final class LaunchScriptRun {
  /** What the script did. */
  public record Result(int exitCode, String stderr, long millis) {}

  private LaunchScriptRun() {}

  public static Result run(
      Path dir, String kernelspec, String kernelId, FakeEnterpriseGateway eg, Map<String, String> env) {
    Path script = Scripts.extract(Scripts.LAUNCH_SCRIPT, dir);
    Path launcher = Scripts.extract(Scripts.KERNEL_LAUNCHER, dir);
    List<String> command = new ArrayList<>(List.of(IpykernelProcess.PYTHON, script.toString(), "--kernelspec", kernelspec, "--"));
    command.addAll(
        List.of(
            IpykernelProcess.PYTHON, launcher.toString(),
            "--RemoteProcessProxy.kernel-id", kernelId,
            "--RemoteProcessProxy.response-address", eg.responseAddress(),
            "--RemoteProcessProxy.public-key", eg.publicKey(),
            "--RemoteProcessProxy.port-range", "0..0"));
    Map<String, String> fullEnv = new HashMap<>(env);
    fullEnv.put("KERNEL_ID", kernelId);
    try {
      Path err = Files.createTempFile(dir, "launch-", ".err");
      ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.environment().putAll(fullEnv);
      long start = System.nanoTime();
      Process p = pb.start();
      // On a hit the script exits; on a miss it becomes the cold launcher, which runs the kernel:
      // wait for exit, or for the cold kernel's report and return while it keeps running.
      boolean exited = false;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!exited && !eg.expect(kernelId).isDone() && System.nanoTime() < deadline) {
        exited = p.waitFor(10, TimeUnit.MILLISECONDS);
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      if (!exited) {
        exited = p.waitFor(1, TimeUnit.SECONDS);
      }
      return new Result(exited ? p.exitValue() : -1, Files.readString(err, StandardCharsets.UTF_8), millis);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
