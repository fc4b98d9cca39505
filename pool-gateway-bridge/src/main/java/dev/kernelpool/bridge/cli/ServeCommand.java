package dev.kernelpool.bridge.cli;

import dev.kernelpool.bridge.config.ConfigException;
import dev.kernelpool.bridge.config.SidecarConfig;
import dev.kernelpool.bridge.sidecar.Sidecar;
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
    Sidecar sidecar = Sidecar.start(cfg, Clock.systemUTC());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      sidecar.close();
      stopped.countDown();
    }, "kernel-pool-shutdown"));
    stopped.await();
    return 0;
  }
}
