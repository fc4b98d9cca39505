package dev.kernelpool.k8s.pods;

import io.kubernetes.client.openapi.models.V1Pod;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Proof that the pool created a pod: an annotation holding HMAC-SHA256 of the pod's uid under a key
 * only the sidecars hold (their claim token). The API server assigns the uid, so a pod a user
 * creates with the pool's labels, or a copy of a pool pod's annotations, never carries a valid
 * proof: such a pod is not the pool's, is never counted, adopted or handed out.
 */
public final class PodProof {
  /** The annotation the leader writes right after it creates a pool pod. */
  public static final String ANNOTATION = "kernel-pool.dev/proof";

  private final SecretKeySpec key;

  public PodProof(byte[] key) {
    if (key.length == 0) {
      throw new IllegalArgumentException("the pod proof needs a non-empty key");
    }
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
  }

  /** The proof for the pod with {@code uid}. */
  public String of(String uid) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(("pod:" + uid).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether {@code pod} carries the proof for its own uid. */
  public boolean verifies(V1Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String uid = pod.getMetadata().getUid();
    String claimed = annotations == null ? null : annotations.get(ANNOTATION);
    return uid != null && claimed != null
        && MessageDigest.isEqual(of(uid).getBytes(StandardCharsets.US_ASCII), claimed.getBytes(StandardCharsets.US_ASCII));
  }
}
