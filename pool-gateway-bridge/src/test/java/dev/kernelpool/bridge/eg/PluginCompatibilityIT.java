package dev.kernelpool.bridge.eg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kernelpool.bridge.bench.LocalIpykernel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin, pip-installed from the build's wheel, against the Enterprise Gateway it finds: the
 * vendored 3.3.0 takes it; with no EG, or an EG whose version or process-proxy API differs, the
 * import fails with one line that says what to do, not a stack trace at a user's launch.
 */
class PluginCompatibilityIT {
  @TempDir Path dir;

  private record Run(int exit, String out) {}

  private Run run(List<String> pythonPath, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(LocalIpykernel.PYTHON));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("PYTHONPATH", String.join(":", pythonPath));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  @Test
  void theVendoredGatewayTakesThePluginAndOthersAreRefusedInOneLine() throws Exception {
    Path home = EnterpriseGateway.home();
    Path site = PluginInstall.into(dir);
    List<String> eg = List.of(site.toString(), home.resolve("jupyter_client-6.1.12").toString(),
        home.resolve("enterprise_gateway-3.3.0").toString());

    Run ok = run(eg, "-m", "kernel_pool_eg");
    assertThat(ok.exit()).as(ok.out()).isZero();
    assertThat(ok.out()).isEqualTo("kernel_pool_eg 0.1.0: Enterprise Gateway 3.3.0 takes the pooled process proxies");

    Run none = run(List.of(site.toString()), "-m", "kernel_pool_eg");
    assertThat(none.exit()).isEqualTo(1);
    assertThat(none.out()).isEqualTo("kernel_pool_eg needs Jupyter Enterprise Gateway 3.x, and none is importable here");

    // an EG of another major version: its version module says 4.0.0
    Path other = Files.createDirectories(dir.resolve("eg4/enterprise_gateway"));
    Files.writeString(other.resolve("__init__.py"), "");
    Files.writeString(other.resolve("_version.py"), "__version__ = \"4.0.0\"\n");
    Run newer = run(List.of(site.toString(), dir.resolve("eg4").toString()), "-c", "import kernel_pool_eg.distributed");
    assertThat(newer.exit()).isEqualTo(1);
    assertThat(newer.out().lines().reduce((a, b) -> b).orElseThrow()).isEqualTo(
        "kernel_pool_eg._compat.UnsupportedGateway: kernel_pool_eg supports Enterprise Gateway 3.x; this is 4.0.0: "
            + "use the launch script kernelspecs instead");
  }
}
