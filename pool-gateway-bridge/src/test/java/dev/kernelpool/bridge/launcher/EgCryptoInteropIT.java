package dev.kernelpool.bridge.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kernelpool.bridge.testing.PythonPeer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our cipher against an independent pycryptodome implementation, both ways. */
class EgCryptoInteropIT {
  private static final String INFO =
      "{\"shell_port\": 50001, \"iopub_port\": 50002, \"stdin_port\": 50003, \"control_port\": 50004,"
          + " \"hb_port\": 50005, \"ip\": \"0.0.0.0\", \"key\": \"5e1b3c2a-key\", \"transport\": \"tcp\","
          + " \"signature_scheme\": \"hmac-sha256\", \"kernel_name\": \"python3\", \"pid\": 42, \"pgid\": 42,"
          + " \"comm_port\": 50006, \"kernel_id\": \"d3a9-kernel\"}";
  private final SecureRandom random = new SecureRandom();
  private final ConnectionInfoCipher cipher = new ConnectionInfoCipher(random);

  @Test
  void javaOpensWhatAPythonLauncherSeals() throws Exception {
    KeyPair ours = RsaKeys.generate(2048, random);

    String payload = PythonPeer.run("eg_crypto.py", INFO, "encrypt", RsaKeys.encode(ours.getPublic()));
    LauncherResponse response = LauncherResponse.fromJson(cipher.open(payload, ours.getPrivate()));

    assertThat(response.kernelId()).isEqualTo("d3a9-kernel");
    assertThat(response.connectionInfo().shellPort()).isEqualTo(50001);
    assertThat(response.connectionInfo().key()).isEqualTo("5e1b3c2a-key");
    assertThat(response.commPort()).hasValue(50006);
    assertThat(response.pid()).hasValue(42);
  }

  @Test
  void pythonOpensWhatJavaSeals(@TempDir Path dir) throws Exception {
    Path privateKey = dir.resolve("eg.pem");
    String egPublicKey = PythonPeer.run("eg_crypto.py", "", "keygen", privateKey.toString());
    PublicKey parsed = RsaKeys.parse(egPublicKey);

    String payload = cipher.seal(INFO.getBytes(StandardCharsets.UTF_8), parsed);
    String opened = PythonPeer.run("eg_crypto.py", payload, "decrypt", privateKey.toString());

    assertThat(opened).isEqualTo(INFO);
    assertThat(Files.size(privateKey)).isPositive();
  }
}
