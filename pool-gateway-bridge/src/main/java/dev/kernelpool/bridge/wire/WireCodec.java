package dev.kernelpool.bridge.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns messages into the frames of the Jupyter wire protocol and back: {@code [identities...,
 * "<IDS|MSG>", signature, header, parent_header, metadata, content, buffers...]}. Received
 * messages are verified against the raw frame bytes, before any JSON is parsed.
 */
public final class WireCodec {
  public static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
  private static final ObjectMapper JSON = new ObjectMapper();

  private WireCodec() {}

  /** The frames of {@code message}, signed by {@code signer}. */
  public static List<byte[]> encode(List<byte[]> identities, JupyterMessage message, MessageSigner signer) {
    byte[] header = bytes(message.header().toJson());
    byte[] parent = bytes(message.parentHeader());
    byte[] metadata = bytes(message.metadata());
    byte[] content = bytes(message.content());
    List<byte[]> frames = new ArrayList<>(identities.size() + 6 + message.buffers().size());
    frames.addAll(identities);
    frames.add(DELIMITER);
    frames.add(signer.sign(header, parent, metadata, content).getBytes(StandardCharsets.US_ASCII));
    frames.add(header);
    frames.add(parent);
    frames.add(metadata);
    frames.add(content);
    frames.addAll(message.buffers());
    return frames;
  }

  /**
   * Verifies and parses frames. Rejects frames without the delimiter or with too few parts, an
   * unsigned or wrongly signed message when a key is set, a replay, and JSON that does not parse.
   */
  public static DecodeResult decode(List<byte[]> frames, MessageSigner signer, ReplayGuard replays) {
    int delimiter = -1;
    for (int i = 0; i < frames.size(); i++) {
      if (Arrays.equals(frames.get(i), DELIMITER)) {
        delimiter = i;
        break;
      }
    }
    if (delimiter < 0) {
      return new DecodeResult.Rejected(DecodeResult.Reason.NO_DELIMITER, frames.size() + " frames");
    }
    if (frames.size() < delimiter + 6) {
      return new DecodeResult.Rejected(
          DecodeResult.Reason.TOO_FEW_FRAMES, (frames.size() - delimiter - 1) + " frames after delimiter");
    }
    byte[] signature = frames.get(delimiter + 1);
    byte[] header = frames.get(delimiter + 2);
    byte[] parent = frames.get(delimiter + 3);
    byte[] metadata = frames.get(delimiter + 4);
    byte[] content = frames.get(delimiter + 5);
    if (signer.isSigning() && signature.length == 0) {
      return new DecodeResult.Rejected(DecodeResult.Reason.UNSIGNED, "message without signature");
    }
    if (!signer.verify(signature, header, parent, metadata, content)) {
      return new DecodeResult.Rejected(DecodeResult.Reason.BAD_SIGNATURE, "signature does not match");
    }
    if (!replays.firstSeen(new String(signature, StandardCharsets.US_ASCII))) {
      return new DecodeResult.Rejected(DecodeResult.Reason.REPLAYED, "signature seen before");
    }
    try {
      JupyterMessage message =
          new JupyterMessage(
              MessageHeader.fromJson(tree(header)),
              tree(parent),
              tree(metadata),
              tree(content),
              frames.subList(delimiter + 6, frames.size()));
      return new DecodeResult.Decoded(frames.subList(0, delimiter), message);
    } catch (IOException | IllegalArgumentException e) {
      return new DecodeResult.Rejected(DecodeResult.Reason.MALFORMED_JSON, e.getMessage());
    }
  }

  private static JsonNode tree(byte[] json) throws IOException {
    JsonNode node = JSON.readTree(json);
    if (node == null || !node.isObject()) {
      throw new IOException("expected a JSON object");
    }
    return node;
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }
}
