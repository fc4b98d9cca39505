package dev.kernelpool.bridge.config;

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
  /** The uid EG gives a container kernel whose launch names none ({@code container.py}). */
  public static final long EG_DEFAULT_UID = 1000;
  /** The gid EG gives a container kernel whose launch names none. */
  public static final long EG_DEFAULT_GID = 100;

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

  /**
   * This template with EG's defaults for container kernels where it leaves a value unset: EG puts
   * {@code KERNEL_UID} 1000, {@code KERNEL_GID} 100 and {@code KERNEL_SERVICE_ACCOUNT_NAME} (its
   * default account) into every launch's environment, whether the client sent them or not.
   */
  public KernelspecTemplate withEgContainerDefaults(String serviceAccount) {
    return new KernelspecTemplate(name, image, resources,
        uid.isPresent() ? uid : OptionalLong.of(EG_DEFAULT_UID),
        gid.isPresent() ? gid : OptionalLong.of(EG_DEFAULT_GID),
        volumes, this.serviceAccount.isEmpty() ? serviceAccount : this.serviceAccount, warmupCode);
  }
}
