package dev.kernelpool.bridge.claim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kernelpool.bridge.launcher.ResponseAddress;
import dev.kernelpool.bridge.launcher.RsaKeys;
import java.io.IOException;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * A launch request, version 1 of the claim API: EG's kernel id, response address and public key,
 * the kernelspec, and the {@code KERNEL_*} environment EG gave the launch.
 *
 * @param deadline when the launch script stops waiting and launches cold: {@code deadline_ms} (an
 *     absolute time the script set when it started), else the receipt time plus {@code
 *     timeout_ms} (older scripts); nothing may reach EG after it
 * @param holderPid the launch script's pid, where it will stay as the kernel's stand-in
 * @param environ the launch's whole environment as EG built it ({@code environ}, optional): a warm
 *     kernel takes it where the backend runs kernels as local processes
 */
public record ClaimRequest(
    String kernelId, String kernelspec, ResponseAddress responseAddress, PublicKey egPublicKey, Map<String, String> env,
    Optional<Instant> deadline, OptionalLong holderPid, Optional<Map<String, String>> environ) {
  public static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern KERNEL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern ENV_NAME = Pattern.compile("KERNEL_[A-Z0-9_]{1,64}");
  private static final Pattern ENVIRON_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,255}");
  private static final int MAX_ENVIRON = 1024;

  public ClaimRequest {
    env = Map.copyOf(env);
    environ = environ.map(Map::copyOf);
  }

  /** A request that is not a valid version-1 claim; the message says which field and why. */
  public static final class InvalidClaimException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidClaimException(String message) {
      super(message);
    }
  }

  /** Parses and validates a request body received at {@code receivedAt}. */
  public static ClaimRequest parse(byte[] body, Instant receivedAt) throws InvalidClaimException {
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (IOException e) {
      throw new InvalidClaimException("body is not JSON");
    }
    if (node == null || !node.isObject()) {
      throw new InvalidClaimException("body must be a JSON object");
    }
    JsonNode version = node.path("version");
    if (!version.isIntegralNumber() || !version.canConvertToInt() || version.intValue() != VERSION) {
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
    Optional<Instant> deadline = Optional.empty();
    JsonNode t = node.get("timeout_ms");
    if (t != null && !t.isNull()) {
      deadline = Optional.of(receivedAt.plusMillis(whole(t, "timeout_ms", 1, 600_000)));
    }
    JsonNode d = node.get("deadline_ms");
    if (d != null && !d.isNull()) {
      deadline = Optional.of(Instant.ofEpochMilli(whole(d, "deadline_ms", 1, Long.MAX_VALUE)));
    }
    OptionalLong holder = OptionalLong.empty();
    JsonNode h = node.get("holder_pid");
    if (h != null && !h.isNull()) {
      holder = OptionalLong.of(whole(h, "holder_pid", 2, Integer.MAX_VALUE));
    }
    return new ClaimRequest(kernelId, kernelspec, address, key, env, deadline, holder, environ(node.get("environ")));
  }

  private static long whole(JsonNode v, String field, long min, long max) throws InvalidClaimException {
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
      throw new InvalidClaimException(field + " must be a whole number between " + min + " and " + max);
    }
    return v.asLong();
  }

  private static Optional<Map<String, String>> environ(JsonNode node) throws InvalidClaimException {
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isObject() || node.size() > MAX_ENVIRON) {
      throw new InvalidClaimException("environ must be an object of at most " + MAX_ENVIRON + " strings");
    }
    Map<String, String> environ = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!ENVIRON_NAME.matcher(e.getKey()).matches() || !e.getValue().isTextual() || e.getValue().asText().indexOf('\0') >= 0) {
        throw new InvalidClaimException("environ entry " + e.getKey() + " must be a variable name with a string value");
      }
      environ.put(e.getKey(), e.getValue().asText());
    }
    return Optional.of(environ);
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
        + responseAddress + ", env keys=" + env.keySet() + ", deadline=" + deadline.map(Instant::toString).orElse("none")
        + ", environ " + environ.map(m -> m.size() + " variables").orElse("absent") + "]";
  }
}
