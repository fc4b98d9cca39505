package dev.kernelpool.bridge.cli;

import dev.kernelpool.bridge.config.ConfigException;
import dev.kernelpool.bridge.config.SidecarConfig;
import dev.kernelpool.bridge.sidecar.Sidecar;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the sidecar: keep a warm pool and serve claims until stopped (SIGTERM, Ctrl-C).")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration (see examples/config/sidecar.yaml); defaults when absent.")
  Path config;

  @Override
  public Integer call() throws Exception {
    SidecarConfig cfg;
    try {
      cfg = config == null ? SidecarConfig.defaults() : SidecarConfig.read(config);
    } catch (ConfigException e) {
      System.err.println("kernel-pool: bad configuration: " + e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Sidecar sidecar;
    try {
      sidecar = Sidecar.start(cfg, Clock.systemUTC());
    } catch (IOException | RuntimeException e) {
      // One line: the cause, not a stack trace. Sidecar.start stops whatever it had begun.
      System.err.println("kernel-pool: cannot start: " + describe(e));
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      sidecar.close();
      stopped.countDown();
    }, "kernel-pool-shutdown"));
    stopped.await();
    return 0;
  }

  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
      if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
        text.append(": ").append(cause.getMessage());
      }
    }
    return text.toString();
  }
}
