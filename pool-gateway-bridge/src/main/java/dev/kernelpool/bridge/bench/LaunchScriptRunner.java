package dev.kernelpool.bridge.bench;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the kernelspec launch script as EG would: the script, then {@code --}, then the cold
 * launcher (our EG-compatible kernel launcher) with EG's arguments, and a {@code KERNEL_*}
 * environment.
 */
public final class LaunchScriptRunner {
  /**
   * What the script did.
   *
   * @param exitCode its exit status, -1 while it still runs: as the cold launcher (a miss), or as
   *     the stand-in for a local warm kernel (a hit, until that kernel ends)
   */
  public record Result(int exitCode, String stderr, long millis) {
    /** A warm kernel was handed over. */
    public boolean hit() {
      return stderr.contains("kernel-pool: warm kernel ");
    }

    /** A hit whose script stays as the kernel's stand-in (the local backend's answer). */
    public boolean heldAsStandIn() {
      return hit() && exitCode == -1 && stderr.contains(STAYS);
    }
  }

  private static final String STAYS = "kernel-pool: staying as the stand-in";

  private static final String COLD = "launching cold";

  private LaunchScriptRunner() {}

  private static boolean settled(String stderr) {
    return stderr.contains(STAYS) || stderr.contains(COLD);
  }

  /**
   * Runs the script and returns once it exited, or once its cold launcher's kernel reported to
   * {@code eg} (the cold launcher keeps running as the kernel).
   */
  public static Result run(
      String python, Path dir, String kernelspec, String kernelId, GatewayStandIn eg, Map<String, String> env) {
    Path script = dir.resolve(Scripts.LAUNCH_SCRIPT);
    Path launcher = dir.resolve(Scripts.KERNEL_LAUNCHER);
    if (!Files.exists(script) || !Files.exists(launcher)) {
      Scripts.extract(Scripts.LAUNCH_SCRIPT, dir);
      Scripts.extract(Scripts.KERNEL_LAUNCHER, dir);
    }
    // -I -S: the launch script needs only the standard library; skipping site saves ~8 ms a launch.
    List<String> command =
        new ArrayList<>(List.of(python, "-I", "-S", script.toString(), "--kernelspec", kernelspec, "--"));
    command.addAll(
        List.of(
            python, launcher.toString(),
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
      CompletableFuture<?> reported = eg.expect(kernelId);
      try {
        CompletableFuture.anyOf(p.onExit(), reported).get(60, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // judged below from what happened
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      if (reported.isDone()) {
        // The script has said what it does by now, or soon: exits 0 (a hit on Kubernetes), stays
        // as the kernel's stand-in (a local hit) or became the cold launcher (a miss).
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (p.isAlive() && !settled(Files.readString(err, StandardCharsets.UTF_8)) && System.nanoTime() < until) {
          p.waitFor(5, TimeUnit.MILLISECONDS);
        }
      }
      boolean exited = !p.isAlive();
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      Files.deleteIfExists(err);
      return new Result(exited ? p.exitValue() : -1, stderr, millis);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
