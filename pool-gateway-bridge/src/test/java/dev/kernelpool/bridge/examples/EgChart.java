package dev.kernelpool.bridge.examples;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Enterprise Gateway 3.3.0's own Helm chart ({@code etc/kubernetes/helm/enterprise-gateway} of the
 * vendored source), rendered by a real Helm (helm-java runs Helm's Go library) and passed through
 * the shipped {@code examples/kubernetes/helm/post-render.sh} the way {@code helm install
 * --post-renderer} does: the chart's manifests on the script's stdin, what it prints is what Helm
 * applies.
 */
final class EgChart {
  static final Path VALUES = Path.of("../examples/kubernetes/helm/values.yaml");
  static final Path POST_RENDER = Path.of("../examples/kubernetes/helm/post-render.sh");

  private EgChart() {}

  static Path chart(Path egHome) {
    return egHome.resolve("enterprise_gateway-3.3.0/etc/kubernetes/helm/enterprise-gateway");
  }

  /** The post-renderer runs {@code kubectl kustomize}: without a kubectl the calling test is skipped with one line. */
  static void requireKubectl() {
    if (!Files.isExecutable(Path.of("/usr/bin/kubectl")) && !Files.isExecutable(Path.of("/usr/local/bin/kubectl"))) {
      String line = "Helm post-render suite skipped: no kubectl (apt-get install kubernetes-client; .ci/deps does)";
      System.err.println(line);
      Assumptions.abort(line);
    }
  }

  /** {@code helm template RELEASE CHART -n NAMESPACE -f VALUES... --set K=V...}. */
  static String template(Path chart, String release, String namespace, List<Path> values, Map<String, Object> sets) {
    TemplateCommand template = new Helm(chart).template().withName(release).withNamespace(namespace);
    values.forEach(template::withValuesFile);
    sets.forEach(template::set);
    return template.call();
  }

  /** What Helm applies after {@code post-render.sh} had the chart's rendering on its stdin. */
  static String postRender(String rendered) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sh", POST_RENDER.toString()).start();
    try (var in = p.getOutputStream()) {
      in.write(rendered.getBytes(StandardCharsets.UTF_8));
    }
    // the script reads all its input before it writes, so stdout and stderr are read after
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("post-render.sh failed: " + err);
    }
    return out;
  }
}
