package dev.kernelpool.bridge.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Jupyter message header.
 *
 * @param date ISO-8601 with a zone, as the spec requires
 */
public record MessageHeader(
    String msgId, String session, String username, String date, String msgType, String version) {
  public static final String PROTOCOL_VERSION = "5.3";

  public MessageHeader {
    requireText(msgId, "msg_id");
    requireText(msgType, "msg_type");
    session = session == null ? "" : session;
    username = username == null ? "" : username;
    date = date == null ? "" : date;
    version = version == null ? "" : version;
  }

  private static void requireText(String v, String field) {
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("message header: missing " + field);
    }
  }

  public ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("msg_id", msgId);
    node.put("session", session);
    node.put("username", username);
    node.put("date", date);
    node.put("msg_type", msgType);
    node.put("version", version);
    return node;
  }

  /** Parses a header object; unknown fields are ignored. */
  public static MessageHeader fromJson(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("message header must be a JSON object");
    }
    return new MessageHeader(
        text(node, "msg_id"),
        text(node, "session"),
        text(node, "username"),
        text(node, "date"),
        text(node, "msg_type"),
        text(node, "version"));
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
