package dev.kernelpool.bridge.eg;

import dev.kernelpool.bridge.bench.EnterpriseGatewayRunner;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the real Enterprise Gateway is: {@code KERNEL_POOL_EG_HOME} (environment) or {@code
 * kernelpool.eg.home} (system property), a folder holding EG 3.3.0's and jupyter_client 6.1.12's
 * source trees ({@code ../shared/vendor}; {@code .ci/run} sets it).
 */
public final class EnterpriseGateway {
  private EnterpriseGateway() {}

  /** The vendored EG's folder, or the test is skipped with one line saying how to give it. */
  public static Path home() {
    String configured = Optional.ofNullable(System.getProperty("kernelpool.eg.home"))
        .orElse(System.getenv("KERNEL_POOL_EG_HOME"));
    if (configured == null || configured.isBlank() || !EnterpriseGatewayRunner.usable(Path.of(configured))) {
      String line = "Enterprise Gateway suite skipped: set KERNEL_POOL_EG_HOME to a folder with enterprise_gateway-3.3.0/"
          + " and jupyter_client-6.1.12/ (../shared/vendor; .ci/run does) - was: " + configured;
      System.err.println(line);
      Assumptions.abort(line);
    }
    return Path.of(configured).toAbsolutePath();
  }
}
