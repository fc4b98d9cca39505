package dev.kernelpool.bridge.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** The Python scripts shipped in the jar: the kernelspec launch script and the kernel launcher. */
public final class Scripts {
  /** The launch script a kernelspec's argv runs before EG's own launcher. */
  public static final String LAUNCH_SCRIPT = "kernel-pool-launch.py";
  /** The EG-compatible launcher the local backend starts warm kernels with. */
  public static final String KERNEL_LAUNCHER = "kernel_launcher.py";

  private Scripts() {}

  /** Copies {@code name} into {@code dir} (made executable) and returns its path. */
  public static Path extract(String name, Path dir) {
    try (InputStream in = Scripts.class.getResourceAsStream("/dev/kernelpool/bridge/scripts/" + name)) {
      if (in == null) {
        throw new IllegalStateException("script " + name + " is missing from the jar");
      }
      Files.createDirectories(dir);
      Path target = dir.resolve(name);
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract " + name + " to " + dir, e);
    }
  }
}
