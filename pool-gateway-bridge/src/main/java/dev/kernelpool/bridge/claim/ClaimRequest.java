package dev.kernelpool.bridge.claim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kernelpool.bridge.launcher.ResponseAddress;
import dev.kernelpool.bridge.launcher.RsaKeys;
import java.io.IOException;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A launch request, version 1 of the claim API: EG's kernel id, response address and public key,
 * the kernelspec, and the {@code KERNEL_*} environment EG gave the launch.
 *
 * @param timeoutMillis how long the launch script waits for the answer ({@code timeout_ms},
 *     optional): past it the script has launched cold, so the sidecar must not hand a kernel over
 */
public record ClaimRequest(
    String kernelId, String kernelspec, ResponseAddress responseAddress, PublicKey egPublicKey, Map<String, String> env,
    java.util.OptionalLong timeoutMillis) {
  public static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern KERNEL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern ENV_NAME = Pattern.compile("KERNEL_[A-Z0-9_]{1,64}");

  public ClaimRequest {
    env = Map.copyOf(env);
  }

  /** A request that is not a valid version-1 claim; the message says which field and why. */
  public static final class InvalidClaimException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidClaimException(String message) {
      super(message);
    }
  }

  /** Parses and validates a request body. */
  public static ClaimRequest parse(byte[] body) throws InvalidClaimException {
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (IOException e) {
      throw new InvalidClaimException("body is not JSON");
    }
    if (node == null || !node.isObject()) {
      throw new InvalidClaimException("body must be a JSON object");
    }
    if (node.path("version").asInt(-1) != VERSION) {
      throw new InvalidClaimException("unsupported claim version " + node.path("version") + " (expected " + VERSION + ")");
    }
    String kernelId = text(node, "kernel_id");
    if (!KERNEL_ID.matcher(kernelId).matches()) {
      throw new InvalidClaimException("kernel_id is not a valid kernel id");
    }
    String kernelspec = text(node, "kernelspec");
    ResponseAddress address;
    try {
      address = ResponseAddress.parse(text(node, "response_address"));
    } catch (IllegalArgumentException e) {
      throw new InvalidClaimException(e.getMessage());
    }
    PublicKey key;
    try {
      key = RsaKeys.parse(text(node, "public_key"));
    } catch (IllegalArgumentException e) {
      throw new InvalidClaimException("public_key: " + e.getMessage());
    }
    Map<String, String> env = new LinkedHashMap<>();
    JsonNode envNode = node.path("env");
    if (!envNode.isMissingNode() && !envNode.isObject()) {
      throw new InvalidClaimException("env must be an object of strings");
    }
    for (Map.Entry<String, JsonNode> e : envNode.properties()) {
      if (!ENV_NAME.matcher(e.getKey()).matches() || !e.getValue().isTextual()) {
        throw new InvalidClaimException("env entry " + e.getKey() + " must be a KERNEL_* name with a string value");
      }
      env.put(e.getKey(), e.getValue().asText());
    }
    java.util.OptionalLong timeout = java.util.OptionalLong.empty();
    JsonNode t = node.get("timeout_ms");
    if (t != null && !t.isNull()) {
      if (!t.canConvertToLong() || !t.isIntegralNumber() || t.asLong() <= 0 || t.asLong() > 600_000) {
        throw new InvalidClaimException("timeout_ms must be a whole number of milliseconds between 1 and 600000");
      }
      timeout = java.util.OptionalLong.of(t.asLong());
    }
    return new ClaimRequest(kernelId, kernelspec, address, key, env, timeout);
  }

  private static String text(JsonNode node, String field) throws InvalidClaimException {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new InvalidClaimException(field + " is required");
    }
    return v.asText();
  }

  @Override
  public String toString() {
    return "ClaimRequest[kernel_id=" + kernelId + ", kernelspec=" + kernelspec + ", response_address="
        + responseAddress + ", env keys=" + env.keySet() + "]";
  }
}
