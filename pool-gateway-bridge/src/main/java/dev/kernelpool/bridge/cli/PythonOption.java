package dev.kernelpool.bridge.cli;

import picocli.CommandLine.Option;

/** The {@code --python} option of the commands that start local kernels. */
final class PythonOption {
  @Option(names = "--python", defaultValue = "/usr/bin/python3",
      description = "Python with ipykernel and pycryptodome (default ${DEFAULT-VALUE}).")
  String python;
}
