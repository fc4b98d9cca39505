package dev.kernelpool.bridge.claim;

import dev.kernelpool.core.resource.Resources;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What a kernelspec's pod looks like when a request leaves a value unset: EG's pod template
 * defaults. A request's {@code KERNEL_*} values override them.
 *
 * @param warmupCode run once on each new pool kernel before it is claimable (e.g. imports)
 */
public record KernelspecTemplate(
    String name,
    String image,
    Resources resources,
    OptionalLong uid,
    OptionalLong gid,
    List<String> volumes,
    String serviceAccount,
    String warmupCode) {
  public KernelspecTemplate {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("kernelspecs[].name must not be empty");
    }
    if (image == null || image.isBlank()) {
      throw new IllegalArgumentException("kernelspecs[" + name + "].image must not be empty");
    }
    Objects.requireNonNull(resources, "resources");
    volumes = List.copyOf(volumes);
    serviceAccount = serviceAccount == null ? "" : serviceAccount;
    warmupCode = warmupCode == null ? "" : warmupCode;
  }
}
