package dev.kernelpool.bridge.eg;

import dev.kernelpool.bridge.bench.LocalIpykernel;
import dev.kernelpool.bridge.plugin.PluginPackage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The plugin installed as the guide says: {@code pip install} of the wheel the build made
 * ({@code target/python}), here into a folder of the test's that goes on EG's {@code PYTHONPATH}.
 */
final class PluginInstall {
  private PluginInstall() {}

  /** The wheel {@code mvn package} wrote (failsafe runs after package). */
  static Path wheel() {
    Path wheel = Path.of("target", "python", PluginPackage.wheelName()).toAbsolutePath();
    if (!Files.isRegularFile(wheel)) {
      throw new IllegalStateException("no " + wheel + ": run mvn package first");
    }
    return wheel;
  }

  /** Installs the wheel into {@code dir/site} with Debian's pip and returns that folder. */
  static Path into(Path dir) throws IOException, InterruptedException {
    Path site = dir.resolve("site");
    Process pip = new ProcessBuilder(LocalIpykernel.PYTHON, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
        "--disable-pip-version-check", "--target", site.toString(), wheel().toString())
        .redirectErrorStream(true).start();
    String out = new String(pip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!pip.waitFor(120, TimeUnit.SECONDS) || pip.exitValue() != 0) {
      throw new IllegalStateException("pip install " + wheel() + " failed: " + out);
    }
    return site;
  }
}
