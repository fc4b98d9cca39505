package dev.kernelpool.bridge.launcher;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** RSA key pairs and public keys in the form EG passes them: base64 of the DER SubjectPublicKeyInfo. */
public final class RsaKeys {
  private RsaKeys() {}

  /** A fresh key pair from {@code random}. */
  public static KeyPair generate(int bits, SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits, random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA is required by every Java platform", e);
    }
  }

  /** The public key as EG passes it to launchers ({@code {public_key}}, {@code PUBLIC_KEY}). */
  public static String encode(PublicKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  /**
   * Parses a public key given as base64 DER, with or without PEM armour and line breaks.
   *
   * @throws IllegalArgumentException when it is not an RSA public key
   */
  public static PublicKey parse(String text) {
    String body =
        text.replace("-----BEGIN PUBLIC KEY-----", "")
            .replace("-----END PUBLIC KEY-----", "")
            .replaceAll("\\s", "");
    try {
      byte[] der = Base64.getDecoder().decode(body);
      return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new IllegalArgumentException("not an RSA public key in base64 DER form");
    }
  }
}
