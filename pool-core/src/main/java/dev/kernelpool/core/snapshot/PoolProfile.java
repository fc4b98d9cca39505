package dev.kernelpool.core.snapshot;

import dev.kernelpool.core.resource.Resources;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Everything that makes two kernel pods interchangeable: namespace, kernelspec, image, the user
 * and group the kernel runs as, the resources it requests, its volumes and service account. A
 * pool kernel may be handed only to a request with an equal profile. What may differ between
 * users of one profile (user name, kernel id, working directory) is applied at claim time.
 *
 * @param volumes volume mounts as canonical strings (e.g. {@code "home:/home/jovyan"}); order
 *     does not matter, they are kept sorted
 */
public record PoolProfile(
    String namespace,
    String kernelspec,
    String image,
    OptionalLong uid,
    OptionalLong gid,
    Resources resources,
    List<String> volumes,
    String serviceAccount) {

  public PoolProfile {
    requireText(namespace, "namespace");
    requireText(kernelspec, "kernelspec");
    requireText(image, "image");
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(gid, "gid");
    Objects.requireNonNull(resources, "resources");
    if (!resources.isNonNegative()) {
      throw new IllegalArgumentException("profile resources must not be negative: " + resources);
    }
    resources = resources.withoutZeros();
    volumes = volumes.stream().sorted().toList();
    Objects.requireNonNull(serviceAccount, "serviceAccount");
  }

  /** A profile with no uid/gid, no volumes and the default service account. */
  public static PoolProfile of(String namespace, String kernelspec, String image, Resources r) {
    return new PoolProfile(
        namespace, kernelspec, image, OptionalLong.empty(), OptionalLong.empty(), r, List.of(), "");
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("profile " + what + " must not be empty");
    }
  }

  /** A stable, human-readable text of every field; equal profiles have equal canonical texts. */
  public String canonical() {
    return namespace
        + '|'
        + kernelspec
        + '|'
        + image
        + '|'
        + (uid.isPresent() ? Long.toString(uid.getAsLong()) : "")
        + '|'
        + (gid.isPresent() ? Long.toString(gid.getAsLong()) : "")
        + '|'
        + resources
        + '|'
        + String.join(",", volumes)
        + '|'
        + serviceAccount;
  }

  /**
   * A 16-hex-digit digest of {@link #canonical()}: short enough for a Kubernetes label value,
   * stable across processes and releases.
   */
  public String hash() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(canonical().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
