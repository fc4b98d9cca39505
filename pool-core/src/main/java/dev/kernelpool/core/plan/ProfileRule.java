package dev.kernelpool.core.plan;

import dev.kernelpool.core.snapshot.PoolProfile;

/**
 * Per-profile bounds on the pool size, matched by kernelspec and namespace ({@code *} matches
 * any). The first matching rule applies. A minimum is kept whenever the budget allows, even
 * without forecast demand; a maximum caps what demand asks for.
 */
public record ProfileRule(String kernelspec, String namespace, int min, int max) {
  public static final String ANY = "*";
  public static final ProfileRule UNBOUNDED = new ProfileRule(ANY, ANY, 0, Integer.MAX_VALUE);

  public ProfileRule {
    if (kernelspec == null || kernelspec.isBlank()) {
      throw new IllegalArgumentException("profiles[].kernelspec must not be empty (use * for any)");
    }
    if (namespace == null || namespace.isBlank()) {
      throw new IllegalArgumentException("profiles[].namespace must not be empty (use * for any)");
    }
    if (min < 0 || max < min) {
      throw new IllegalArgumentException(
          "profiles[] for kernelspec " + kernelspec + ": need 0 <= min <= max, got min=" + min
              + " max=" + max);
    }
  }

  public boolean matches(PoolProfile profile) {
    return (kernelspec.equals(ANY) || kernelspec.equals(profile.kernelspec()))
        && (namespace.equals(ANY) || namespace.equals(profile.namespace()));
  }
}
