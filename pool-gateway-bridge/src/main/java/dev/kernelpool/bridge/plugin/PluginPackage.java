package dev.kernelpool.bridge.plugin;

import dev.kernelpool.bridge.backend.Scripts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The Python package {@code kernel_pool_eg}: its modules from the jar, and {@code launch.py}, which
 * is the launch script itself (one claim client for the script and the plugin). Written out as a
 * folder to put on EG's {@code PYTHONPATH}, or as a wheel ({@code pip install
 * kernel_pool_eg-VERSION-py3-none-any.whl}).
 */
public final class PluginPackage {
  /** The import name, and the folder the package is written to. */
  public static final String NAME = "kernel_pool_eg";
  /** The package's version: {@code kernel_pool_eg.__version__}. */
  public static final String VERSION = "0.1.0";

  private static final String RESOURCES = "/dev/kernelpool/bridge/scripts/" + NAME + "/";
  private static final List<String> MODULES = List.of("__init__.py", "__main__.py", "_compat.py", "_claim.py", "distributed.py", "k8s.py");

  private PluginPackage() {}

  /** The package's files by their path in a wheel or a site-packages folder, in a fixed order. */
  public static Map<String, byte[]> files() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String module : MODULES) {
      files.put(NAME + "/" + module, resource(RESOURCES + module));
    }
    files.put(NAME + "/launch.py", resource("/dev/kernelpool/bridge/scripts/" + Scripts.LAUNCH_SCRIPT));
    return files;
  }

  private static byte[] resource(String path) {
    try (InputStream in = PluginPackage.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the package folder {@code dir/kernel_pool_eg} (replacing its files) and returns it. */
  public static Path writeFolder(Path dir) {
    try {
      for (Map.Entry<String, byte[]> f : files().entrySet()) {
        Path target = dir.resolve(f.getKey());
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), ".kp", ".tmp");
        Files.write(temp, f.getValue());
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      return dir.resolve(NAME);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the " + NAME + " package to " + dir, e);
    }
  }

  /** The wheel's file name (PEP 427). */
  public static String wheelName() {
    return NAME + "-" + VERSION + "-py3-none-any.whl";
  }

  /** Writes the wheel into {@code dir} and returns it: the package, its METADATA, WHEEL and RECORD. */
  public static Path writeWheel(Path dir) {
    Path wheel = dir.resolve(wheelName());
    try {
      Files.createDirectories(dir);
      try (OutputStream out = Files.newOutputStream(wheel)) {
        out.write(wheelBytes());
      }
      return wheel;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + wheel, e);
    }
  }

  static byte[] wheelBytes() throws IOException {
    String info = NAME + "-" + VERSION + ".dist-info/";
    Map<String, byte[]> entries = new LinkedHashMap<>(files());
    entries.put(info + "METADATA", String.join("\n",
        "Metadata-Version: 2.1",
        "Name: kernel-pool-eg",
        "Version: " + VERSION,
        "Summary: Enterprise Gateway process proxies that take a warm kernel from the Kernel Pool sidecar first",
        "License: Apache-2.0",
        "Requires-Python: >=3.8",
        "").getBytes(StandardCharsets.UTF_8));
    entries.put(info + "WHEEL", String.join("\n",
        "Wheel-Version: 1.0",
        "Generator: kernel-pool " + VERSION,
        "Root-Is-Purelib: true",
        "Tag: py3-none-any",
        "").getBytes(StandardCharsets.UTF_8));
    StringBuilder record = new StringBuilder();
    entries.forEach((path, bytes) -> record.append(path).append(",sha256=").append(sha256(bytes)).append(',').append(bytes.length).append('\n'));
    record.append(info).append("RECORD,,\n");
    entries.put(info + "RECORD", record.toString().getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        entry.setTime(0L); // the same bytes from the same sources
        zip.putNextEntry(entry);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static String sha256(byte[] bytes) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
