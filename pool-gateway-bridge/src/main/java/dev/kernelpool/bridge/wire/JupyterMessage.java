package dev.kernelpool.bridge.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * One Jupyter message. The JSON parts are trees that must not be modified once the message is
 * built.
 *
 * @param parentHeader the header of the request this answers; an empty object for requests
 * @param buffers extra raw frames after the content
 */
public record JupyterMessage(
    MessageHeader header, JsonNode parentHeader, JsonNode metadata, JsonNode content, List<byte[]> buffers) {

  public JupyterMessage {
    Objects.requireNonNull(header, "header");
    parentHeader = parentHeader == null ? emptyObject() : parentHeader;
    metadata = metadata == null ? emptyObject() : metadata;
    content = content == null ? emptyObject() : content;
    buffers = buffers == null ? List.of() : List.copyOf(buffers);
  }

  public static ObjectNode emptyObject() {
    return JsonNodeFactory.instance.objectNode();
  }

  public String msgType() {
    return header.msgType();
  }

  /** The msg_id of the parent header, or empty when there is none. */
  public String parentMsgId() {
    JsonNode id = parentHeader.get("msg_id");
    return id == null ? "" : id.asText();
  }
}
