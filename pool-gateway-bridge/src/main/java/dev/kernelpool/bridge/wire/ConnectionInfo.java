package dev.kernelpool.bridge.wire;

import java.util.Objects;

/**
 * Where a kernel listens and how to sign messages to it: the content of a Jupyter connection
 * file. The key is a secret: {@link #toString()} never shows it.
 */
public record ConnectionInfo(
    String transport,
    String ip,
    int shellPort,
    int iopubPort,
    int stdinPort,
    int controlPort,
    int hbPort,
    String key,
    String signatureScheme,
    String kernelName) {

  public static final String HMAC_SHA256 = "hmac-sha256";

  public ConnectionInfo {
    requireText(transport, "transport");
    requireText(ip, "ip");
    checkPort(shellPort, "shell_port");
    checkPort(iopubPort, "iopub_port");
    checkPort(stdinPort, "stdin_port");
    checkPort(controlPort, "control_port");
    checkPort(hbPort, "hb_port");
    Objects.requireNonNull(key, "key");
    requireText(signatureScheme, "signature_scheme");
    if (!key.isEmpty() && !signatureScheme.equals(HMAC_SHA256)) {
      throw new IllegalArgumentException(
          "unsupported signature_scheme '" + signatureScheme + "' (only " + HMAC_SHA256 + ")");
    }
    kernelName = kernelName == null ? "" : kernelName;
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("connection info: " + field + " must not be empty");
    }
  }

  private static void checkPort(int port, String field) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("connection info: " + field + " out of range: " + port);
    }
  }

  /**
   * The same kernel at another address: EG's kernel launchers bind every port on {@code 0.0.0.0}
   * and report that, so whoever started the pod puts in the pod's IP (as EG's own Kubernetes
   * process proxy does with the pod's {@code status.podIP}).
   */
  public ConnectionInfo at(String newIp) {
    return new ConnectionInfo(transport, newIp, shellPort, iopubPort, stdinPort, controlPort, hbPort, key, signatureScheme, kernelName);
  }

  /** The ZeroMQ endpoint of {@code port} on this kernel's ip. */
  public String endpoint(int port) {
    return transport + "://" + ip + ":" + port;
  }

  @Override
  public String toString() {
    return "ConnectionInfo[" + transport + "://" + ip + " shell=" + shellPort + " iopub=" + iopubPort
        + " stdin=" + stdinPort + " control=" + controlPort + " hb=" + hbPort + " key=<redacted>"
        + " kernel_name=" + kernelName + "]";
  }
}
