package dev.kernelpool.bridge.wire;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 signatures of Jupyter messages, over header, parent header, metadata and content.
 * With an empty key, messages are unsigned (signature {@code ""}) as the spec allows. A {@link
 * Mac} is made per call, so one signer is safe to share between threads.
 */
public final class MessageSigner {
  private static final String ALGORITHM = "HmacSHA256";
  private static final HexFormat HEX = HexFormat.of();

  private final SecretKeySpec key;

  private MessageSigner(SecretKeySpec key) {
    this.key = key;
  }

  /** A signer for the kernel key as it stands in the connection file. */
  public static MessageSigner forKey(String key) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    return new MessageSigner(bytes.length == 0 ? null : new SecretKeySpec(bytes, ALGORITHM));
  }

  /** Whether messages are signed at all. */
  public boolean isSigning() {
    return key != null;
  }

  /** The hex signature of the four JSON frames; {@code ""} when not signing. */
  public String sign(byte[] header, byte[] parentHeader, byte[] metadata, byte[] content) {
    if (key == null) {
      return "";
    }
    return HEX.formatHex(digest(header, parentHeader, metadata, content));
  }

  /**
   * Whether {@code signature} (hex, as received) is right for the frames, compared in constant
   * time. An empty signature is accepted only when not signing.
   */
  public boolean verify(byte[] signature, byte[] header, byte[] parentHeader, byte[] metadata, byte[] content) {
    if (key == null) {
      return true;
    }
    byte[] expected =
        HEX.formatHex(digest(header, parentHeader, metadata, content)).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, signature);
  }

  private byte[] digest(byte[]... parts) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
    }
  }

  @Override
  public String toString() {
    return "MessageSigner[" + (key == null ? "unsigned" : "hmac-sha256, key=<redacted>") + "]";
  }
}
