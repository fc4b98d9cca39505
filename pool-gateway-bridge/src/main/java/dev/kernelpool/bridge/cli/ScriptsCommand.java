package dev.kernelpool.bridge.cli;

import dev.kernelpool.bridge.backend.Scripts;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "scripts",
    mixinStandardHelpOptions = true,
    description = "Write the kernelspec launch script and the EG-compatible kernel launcher into a directory.")
final class ScriptsCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the scripts.")
  Path out;

  @Override
  public Integer call() {
    System.out.println(Scripts.extract(Scripts.LAUNCH_SCRIPT, out));
    System.out.println(Scripts.extract(Scripts.KERNEL_LAUNCHER, out));
    return 0;
  }
}
