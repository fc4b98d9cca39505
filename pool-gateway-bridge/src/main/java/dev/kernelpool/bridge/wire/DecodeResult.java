package dev.kernelpool.bridge.wire;

import java.util.List;

/** What decoding a multipart message gave: a message, or a rejection with its reason. */
public sealed interface DecodeResult permits DecodeResult.Decoded, DecodeResult.Rejected {

  /** A verified message and the routing identities that preceded the delimiter. */
  record Decoded(List<byte[]> identities, JupyterMessage message) implements DecodeResult {
    public Decoded {
      identities = List.copyOf(identities);
    }
  }

  /** A message that was dropped. */
  record Rejected(Reason reason, String detail) implements DecodeResult {}

  /** Why a message was dropped; each is counted. */
  enum Reason {
    NO_DELIMITER,
    TOO_FEW_FRAMES,
    UNSIGNED,
    BAD_SIGNATURE,
    REPLAYED,
    MALFORMED_JSON
  }
}
