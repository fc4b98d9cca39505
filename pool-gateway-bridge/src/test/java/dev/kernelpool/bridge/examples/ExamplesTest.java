package dev.kernelpool.bridge.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kernelpool.bridge.backend.Scripts;
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

  @Test
  void everyKernelspecRunsTheLaunchScriptBeforeEgsOwnLauncherWithEgsArguments() throws Exception {
    List<Path> specs;
    try (Stream<Path> files = Files.walk(EXAMPLES.resolve("kernelspecs"))) {
      specs = files.filter(p -> p.getFileName().toString().equals("kernel.json")).toList();
    }
    assertThat(specs).hasSizeGreaterThanOrEqualTo(2);
    for (Path spec : specs) {
      JsonNode json = new ObjectMapper().readTree(spec.toFile());
      List<String> argv = new ArrayList<>();
      json.path("argv").forEach(a -> argv.add(a.asText()));
      int split = argv.indexOf("--");
      assertThat(split).as(spec.toString()).isPositive();
      assertThat(argv.subList(0, split)).anyMatch(a -> a.endsWith("/" + Scripts.LAUNCH_SCRIPT)).contains("--kernelspec");
      List<String> cold = argv.subList(split + 1, argv.size());
      assertThat(cold).as(spec.toString())
          .containsSubsequence("--RemoteProcessProxy.kernel-id", "{kernel_id}")
          .containsSubsequence("--RemoteProcessProxy.response-address", "{response_address}")
          .containsSubsequence("--RemoteProcessProxy.public-key", "{public_key}")
          .containsSubsequence("--RemoteProcessProxy.port-range", "{port_range}");
      assertThat(json.path("metadata").path("process_proxy").path("class_name").asText())
          .startsWith("enterprise_gateway.services.processproxies.");
      assertThat(json.path("env").has("KERNEL_POOL_URL")).isTrue();
    }
  }
}
