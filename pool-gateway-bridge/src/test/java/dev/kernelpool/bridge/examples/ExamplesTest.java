package dev.kernelpool.bridge.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kernelpool.bridge.backend.Scripts;
import dev.kernelpool.bridge.plugin.PluginPackage;
import java.nio.charset.StandardCharsets;
import dev.kernelpool.bridge.config.SidecarConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The files in examples/ stay valid: the annotated config documents the real defaults. */
class ExamplesTest {
  private static final Path EXAMPLES = Path.of(System.getProperty("user.dir")).getParent().resolve("examples");

  @Test
  void annotatedSidecarConfigParsesToExactlyTheDefaults() {
    assertThat(SidecarConfig.read(EXAMPLES.resolve("config/sidecar.yaml"))).isEqualTo(SidecarConfig.defaults());
  }

  /**
   * A script kernelspec runs the launch script before EG's own launcher; a plugin kernelspec runs
   * EG's launcher itself and names a pooled process proxy of the plugin that exists in its package.
   * Both pass EG's arguments on and name the sidecar.
   */
  @Test
  void everyKernelspecEitherRunsTheLaunchScriptOrNamesThePluginAndPassesEgsArguments() throws Exception {
    List<Path> specs;
    try (Stream<Path> files = Files.walk(EXAMPLES.resolve("kernelspecs"))) {
      specs = files.filter(p -> p.getFileName().toString().equals("kernel.json")).toList();
    }
    assertThat(specs).hasSizeGreaterThanOrEqualTo(4);
    int plugins = 0;
    for (Path spec : specs) {
      JsonNode json = new ObjectMapper().readTree(spec.toFile());
      List<String> argv = new ArrayList<>();
      json.path("argv").forEach(a -> argv.add(a.asText()));
      String proxy = json.path("metadata").path("process_proxy").path("class_name").asText();
      List<String> cold;
      if (proxy.startsWith(PluginPackage.NAME + ".")) {
        plugins++;
        assertThat(argv).as(spec.toString()).doesNotContain("--").noneMatch(a -> a.endsWith("/" + Scripts.LAUNCH_SCRIPT));
        String module = proxy.substring(PluginPackage.NAME.length() + 1, proxy.lastIndexOf('.'));
        String source = new String(PluginPackage.files().get(PluginPackage.NAME + "/" + module + ".py"), StandardCharsets.UTF_8);
        assertThat(source).as(proxy).contains("class " + proxy.substring(proxy.lastIndexOf('.') + 1) + "(");
        cold = argv;
        assertThat(json.path("env").has("KERNEL_POOL_URL")).as("the plugin reads the kernelspec's own env").isTrue();
      } else {
        int split = argv.indexOf("--");
        assertThat(split).as(spec.toString()).isPositive();
        // the script's settings on its command line, which no client can change (EG puts a client's
        // KERNEL_* variables over the kernelspec's env); none in the env, where a user could replace them
        assertThat(argv.subList(0, split)).anyMatch(a -> a.endsWith("/" + Scripts.LAUNCH_SCRIPT))
            .contains("--kernelspec", "--url", "--token-file");
        assertThat(json.path("env").has("KERNEL_POOL_URL")).as(spec.toString()).isFalse();
        assertThat(proxy).startsWith("enterprise_gateway.services.processproxies.");
        cold = argv.subList(split + 1, argv.size());
      }
      assertThat(cold).as(spec.toString())
          .containsSubsequence("--RemoteProcessProxy.kernel-id", "{kernel_id}")
          .containsSubsequence("--RemoteProcessProxy.response-address", "{response_address}")
          .containsSubsequence("--RemoteProcessProxy.public-key", "{public_key}")
          .containsSubsequence("--RemoteProcessProxy.port-range", "{port_range}");
    }
    assertThat(plugins).as("a plugin kernelspec for each mode").isEqualTo(2);
  }
}
