package dev.kernelpool.bridge.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kernelpool.bridge.wire.ConnectionFiles;
import dev.kernelpool.bridge.wire.ConnectionInfo;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What a launcher reports about the kernel it started: the connection info plus the launcher's
 * pid, process group, comm port and the kernel id it was started for.
 *
 * @param reportSecret the secret a pool launcher proves its report with ({@code
 *     pool_report_secret}); never forwarded to EG, never shown by {@link #toString()}
 */
public record LauncherResponse(
    ConnectionInfo connectionInfo, String kernelId, OptionalLong pid, OptionalLong pgid, OptionalInt commPort,
    Optional<String> reportSecret) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public LauncherResponse {
    Objects.requireNonNull(connectionInfo, "connectionInfo");
    if (kernelId == null || kernelId.isBlank()) {
      throw new IllegalArgumentException("connection info: missing kernel_id");
    }
    Objects.requireNonNull(pid, "pid");
    Objects.requireNonNull(pgid, "pgid");
    Objects.requireNonNull(commPort, "commPort");
    Objects.requireNonNull(reportSecret, "reportSecret");
  }

  /** A report without a secret (EG's own launchers send none). */
  public LauncherResponse(
      ConnectionInfo connectionInfo, String kernelId, OptionalLong pid, OptionalLong pgid, OptionalInt commPort) {
    this(connectionInfo, kernelId, pid, pgid, commPort, Optional.empty());
  }

  /** Parses the decrypted JSON. */
  public static LauncherResponse fromJson(byte[] json) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("connection info is not JSON");
    }
    ConnectionInfo info = ConnectionFiles.parse(node);
    JsonNode id = node.get("kernel_id");
    return new LauncherResponse(
        info,
        id == null ? null : id.asText(),
        optionalLong(node, "pid"),
        optionalLong(node, "pgid"),
        node.path("comm_port").canConvertToInt() && node.path("comm_port").intValue() > 0
            ? OptionalInt.of(node.path("comm_port").intValue())
            : OptionalInt.empty(),
        node.path("pool_report_secret").isTextual()
            ? Optional.of(node.path("pool_report_secret").asText())
            : Optional.empty());
  }

  private static OptionalLong optionalLong(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return OptionalLong.empty();
    }
    if (v.isIntegralNumber()) {
      return OptionalLong.of(v.longValue());
    }
    if (v.isTextual() && v.asText().matches("-?\\d{1,18}")) {
      return OptionalLong.of(Long.parseLong(v.asText()));
    }
    throw new IllegalArgumentException("connection info: " + field + " must be an integer");
  }

  /** The JSON a launcher sends (before encryption); the report secret is left out. */
  public byte[] toJson() {
    ObjectNode node = ConnectionFiles.toJson(connectionInfo);
    pid.ifPresent(p -> node.put("pid", p));
    pgid.ifPresent(p -> node.put("pgid", p));
    commPort.ifPresent(p -> node.put("comm_port", p));
    node.put("kernel_id", kernelId);
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The same kernel, reported for another kernel id (what a claim does). */
  public LauncherResponse withKernelId(String newKernelId) {
    return new LauncherResponse(connectionInfo, newKernelId, pid, pgid, commPort, Optional.empty());
  }

  /** The same report with the kernel at {@code ip} ({@link ConnectionInfo#at}). */
  public LauncherResponse at(String ip) {
    return new LauncherResponse(connectionInfo.at(ip), kernelId, pid, pgid, commPort, reportSecret);
  }

  @Override
  public String toString() {
    return "LauncherResponse[kernel_id=" + kernelId + ", " + connectionInfo + ", pid=" + pid + ", pgid=" + pgid
        + ", comm_port=" + commPort + (reportSecret.isPresent() ? ", report secret present" : "") + "]";
  }
}
