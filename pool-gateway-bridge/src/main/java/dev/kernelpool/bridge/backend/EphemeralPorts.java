package dev.kernelpool.bridge.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The host's ephemeral ports ({@code net.ipv4.ip_local_port_range}): where every outgoing
 * connection takes its local port. A launcher picks its kernel's ports and lets them go before the
 * kernel binds them; a port in this range can be taken in between by any process's connection, and
 * the kernel then dies with {@code Address already in use}. Kernel port ranges belong outside it.
 */
public record EphemeralPorts(int lower, int upper) {
  /** Linux's own file. */
  public static final Path LINUX = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  /** The range {@code file} holds ({@code "lower<whitespace>upper"}); empty where it is absent or unreadable. */
  public static Optional<EphemeralPorts> of(Path file) {
    try {
      String[] parts = Files.readString(file).trim().split("\\s+");
      return parts.length == 2 ? Optional.of(new EphemeralPorts(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]))) : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * What is wrong with kernels taking {@code portRange} ({@code lower..upper}, as validated by the
   * configuration), if it overlaps this range; empty for {@code 0..0}, which asks for the ephemeral
   * ports on purpose.
   */
  public Optional<String> overlap(String setting, String portRange) {
    String[] bounds = portRange.split("\\.\\.");
    int from = Integer.parseInt(bounds[0].trim());
    int to = Integer.parseInt(bounds[1].trim());
    if (from == 0 && to == 0 || to < lower || from > upper) {
      return Optional.empty();
    }
    return Optional.of(setting + " " + portRange + " overlaps this host's ephemeral ports " + lower + ".." + upper
        + " (net.ipv4.ip_local_port_range): an outgoing connection can take a kernel's port before the kernel binds it,"
        + " and that kernel dies with \"Address already in use\"; choose a range below " + lower + " (docs/enterprise-gateway.md)");
  }
}
