package dev.kernelpool.bridge.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kernelpool.bridge.testing.PythonPeer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launch script writes and reads its JSON without the json module: checked against it. */
class LaunchScriptJsonIT {
  @Test
  void ownJsonWriterAndReaderAgreeWithPythonsJsonModule(@TempDir Path dir) {
    Path script = Scripts.extract(Scripts.LAUNCH_SCRIPT, dir);

    String out = PythonPeer.run("launch_script_selftest.py", "", script.toString());

    assertThat(out.trim()).isEqualTo("ok 4000");
  }
}
