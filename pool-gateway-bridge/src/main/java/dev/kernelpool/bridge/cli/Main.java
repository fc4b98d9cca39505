package dev.kernelpool.bridge.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code kernel-pool.jar}. */
@Command(
    name = "kernel-pool",
    mixinStandardHelpOptions = true,
    version = "kernel-pool 0.1.0-SNAPSHOT",
    description = "Pre-warmed Jupyter kernels for Enterprise Gateway.",
    subcommands = {
      ServeCommand.class,
      DemoCommand.class,
      BenchCommand.class,
      ScriptsCommand.class,
      ExportTraceCommand.class,
      StatusCommand.class,
      SimulateCommand.class,
      GenerateCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }
}
