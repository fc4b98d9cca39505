package dev.kernelpool.bridge.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Reads and writes connection info in the JSON shape of a Jupyter connection file. */
public final class ConnectionFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConnectionFiles() {}

  /**
   * Parses connection-file JSON.
   *
   * @throws IllegalArgumentException naming the missing or malformed field
   */
  public static ConnectionInfo parse(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("connection info must be a JSON object");
    }
    return new ConnectionInfo(
        text(node, "transport", "tcp"),
        text(node, "ip", null),
        port(node, "shell_port"),
        port(node, "iopub_port"),
        port(node, "stdin_port"),
        port(node, "control_port"),
        port(node, "hb_port"),
        text(node, "key", ""),
        text(node, "signature_scheme", ConnectionInfo.HMAC_SHA256),
        text(node, "kernel_name", ""));
  }

  /** Parses connection-file JSON text. */
  public static ConnectionInfo parse(String json) {
    try {
      return parse(JSON.readTree(json));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("connection info is not valid JSON: " + e.getOriginalMessage());
    }
  }

  public static ConnectionInfo read(Path file) {
    try {
      return parse(JSON.readTree(file.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read connection file " + file, e);
    }
  }

  /** The connection-file JSON of {@code info}. */
  public static ObjectNode toJson(ConnectionInfo info) {
    ObjectNode node = JSON.createObjectNode();
    node.put("transport", info.transport());
    node.put("ip", info.ip());
    node.put("shell_port", info.shellPort());
    node.put("iopub_port", info.iopubPort());
    node.put("stdin_port", info.stdinPort());
    node.put("control_port", info.controlPort());
    node.put("hb_port", info.hbPort());
    node.put("key", info.key());
    node.put("signature_scheme", info.signatureScheme());
    node.put("kernel_name", info.kernelName());
    return node;
  }

  /** Writes a connection file readable by its owner only (it holds the key). */
  public static void write(ConnectionInfo info, Path file) {
    try {
      Files.deleteIfExists(file);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, JSON.writeValueAsString(toJson(info)), StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write connection file " + file, e);
    }
  }

  private static String text(JsonNode node, String field, String fallback) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (fallback == null) {
        throw new IllegalArgumentException("connection info: missing " + field);
      }
      return fallback;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException("connection info: " + field + " must be a string");
    }
    return v.asText();
  }

  private static int port(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException("connection info: " + field + " must be an integer port");
    }
    return v.intValue();
  }
}
