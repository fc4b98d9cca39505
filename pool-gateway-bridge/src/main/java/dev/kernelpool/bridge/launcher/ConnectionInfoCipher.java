package dev.kernelpool.bridge.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens EG's version-1 connection-info payload: the JSON encrypted with a fresh AES-128
 * key in ECB mode (PKCS#7 padding), that key encrypted with the receiver's RSA public key (PKCS#1
 * v1.5), both base64 in {@code {"version": 1, "key", "conn_info"}}, the whole base64 again.
 */
public final class ConnectionInfoCipher {
  public static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RSA = "RSA/ECB/PKCS1Padding";
  private static final String AES = "AES/ECB/PKCS5Padding";

  private final SecureRandom random;

  public ConnectionInfoCipher(SecureRandom random) {
    this.random = random;
  }

  /** The base64 text a launcher writes to the response address. */
  public String seal(byte[] connectionInfoJson, PublicKey receiver) {
    try {
      byte[] aesKey = new byte[16];
      random.nextBytes(aesKey);
      Cipher aes = Cipher.getInstance(AES);
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"));
      byte[] sealedInfo = aes.doFinal(connectionInfoJson);
      Cipher rsa = Cipher.getInstance(RSA);
      rsa.init(Cipher.ENCRYPT_MODE, receiver, random);
      byte[] sealedKey = rsa.doFinal(aesKey);
      ObjectNode payload = JSON.createObjectNode();
      payload.put("version", VERSION);
      payload.put("key", Base64.getEncoder().encodeToString(sealedKey));
      payload.put("conn_info", Base64.getEncoder().encodeToString(sealedInfo));
      return Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(payload));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot seal connection info: " + e.getMessage(), e);
    }
  }

  /** Opens a payload with the receiver's private key, returning the connection-info JSON. */
  public byte[] open(String payloadBase64, PrivateKey receiver) throws PayloadException {
    String trimmed = payloadBase64.strip();
    if (trimmed.isEmpty()) {
      throw new PayloadException(PayloadException.Reason.EMPTY, "empty payload");
    }
    JsonNode payload;
    try {
      payload = JSON.readTree(Base64.getDecoder().decode(trimmed));
    } catch (IllegalArgumentException e) {
      throw new PayloadException(PayloadException.Reason.NOT_BASE64, "payload is not base64");
    } catch (IOException e) {
      throw new PayloadException(PayloadException.Reason.NOT_JSON, "payload is not base64 of JSON");
    }
    if (payload == null || !payload.isObject()) {
      throw new PayloadException(PayloadException.Reason.NOT_JSON, "payload is not a JSON object");
    }
    if (payload.path("version").asInt(0) != VERSION) {
      throw new PayloadException(
          PayloadException.Reason.UNSUPPORTED_VERSION,
          "unsupported payload version " + payload.path("version") + " (only " + VERSION + ")");
    }
    byte[] sealedKey = base64Field(payload, "key");
    byte[] sealedInfo = base64Field(payload, "conn_info");
    byte[] aesKey;
    try {
      Cipher rsa = Cipher.getInstance(RSA);
      rsa.init(Cipher.DECRYPT_MODE, receiver);
      aesKey = rsa.doFinal(sealedKey);
    } catch (GeneralSecurityException e) {
      throw new PayloadException(PayloadException.Reason.WRONG_KEY, "payload key was not sealed for this receiver");
    }
    if (aesKey.length != 16) {
      throw new PayloadException(PayloadException.Reason.WRONG_KEY, "payload key is not an AES-128 key");
    }
    try {
      Cipher aes = Cipher.getInstance(AES);
      aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"));
      return aes.doFinal(sealedInfo);
    } catch (GeneralSecurityException e) {
      throw new PayloadException(PayloadException.Reason.BAD_CIPHERTEXT, "connection info does not decrypt");
    }
  }

  private static byte[] base64Field(JsonNode payload, String field) throws PayloadException {
    JsonNode v = payload.get(field);
    if (v == null || !v.isTextual()) {
      throw new PayloadException(PayloadException.Reason.NOT_JSON, "payload has no " + field);
    }
    try {
      return Base64.getDecoder().decode(v.asText());
    } catch (IllegalArgumentException e) {
      throw new PayloadException(PayloadException.Reason.NOT_BASE64, "payload " + field + " is not base64");
    }
  }
}
