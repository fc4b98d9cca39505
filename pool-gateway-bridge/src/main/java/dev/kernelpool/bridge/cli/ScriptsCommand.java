package dev.kernelpool.bridge.cli;

import dev.kernelpool.bridge.backend.Scripts;
import dev.kernelpool.bridge.plugin.PluginPackage;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "scripts",
    mixinStandardHelpOptions = true,
    description = {"Write the kernelspec launch script, the EG-compatible kernel launcher, and the Enterprise Gateway",
        "plugin (the kernel_pool_eg package, as a folder for EG's PYTHONPATH and as a wheel for pip install) into a directory."})
final class ScriptsCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the scripts.")
  Path out;

  @Override
  public Integer call() {
    System.out.println(Scripts.extract(Scripts.LAUNCH_SCRIPT, out));
    System.out.println(Scripts.extract(Scripts.KERNEL_LAUNCHER, out));
    System.out.println(PluginPackage.writeFolder(out));
    System.out.println(PluginPackage.writeWheel(out));
    return 0;
  }
}
