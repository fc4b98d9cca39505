package dev.kernelpool.bridge.backend;

/**
 * A handed-over kernel's process on this host, for a launch script that stays as the kernel's
 * stand-in (EG's distributed mode watches the process it launched): the script waits for {@code
 * pid} to exit and passes signals through the launcher's comm port.
 */
public record KernelProcess(long pid, String commHost, int commPort) {
  public KernelProcess {
    if (pid <= 0 || commPort <= 0 || commPort > 65535) {
      throw new IllegalArgumentException("kernel process: pid and comm port must be positive");
    }
  }
}
