package dev.kernelpool.bridge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.kernelpool.bridge.bench.LocalIpykernel;

/** Runs one of the Python peer scripts of the test resources under Debian's Python. */
public final class PythonPeer {
  private PythonPeer() {}

  /** Runs {@code script} with {@code args}, feeding {@code stdin}; returns stdout, or fails with stderr. */
  public static String run(String script, String stdin, String... args) {
    try {
      Path file = Files.createTempFile("peer-", ".py");
      try (InputStream in = PythonPeer.class.getResourceAsStream("/" + script)) {
        if (in == null) {
          throw new IllegalStateException("missing test resource " + script);
        }
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      }
      List<String> command = new ArrayList<>(List.of(LocalIpykernel.PYTHON, file.toString()));
      command.addAll(List.of(args));
      Process p = new ProcessBuilder(command).start();
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(script + " failed: " + err);
      }
      Files.deleteIfExists(file);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
