package dev.kernelpool.bridge.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kernelpool.bridge.bench.LocalIpykernel;
import dev.kernelpool.bridge.testing.PythonPeer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Our codec against jupyter_client's Session, both ways. */
class PythonSessionInteropIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String key = LocalIpykernel.randomKey();

  @Test
  void decodesWhatJupyterClientSerializes() throws Exception {
    String out =
        PythonPeer.run(
            "wire_peer.py", "{\"msg_type\": \"execute_request\", \"content\": {\"code\": \"1+1\"}}", "serialize", key);
    List<byte[]> frames = new ArrayList<>();
    for (JsonNode f : JSON.readTree(out)) {
      frames.add(Base64.getDecoder().decode(f.asText()));
    }

    DecodeResult r = WireCodec.decode(frames, MessageSigner.forKey(key), new ReplayGuard(10));

    assertThat(r).isInstanceOf(DecodeResult.Decoded.class);
    DecodeResult.Decoded d = (DecodeResult.Decoded) r;
    assertThat(d.message().msgType()).isEqualTo("execute_request");
    assertThat(d.message().content().path("code").asText()).isEqualTo("1+1");
    assertThat(d.message().header().username()).isEqualTo("python-peer");
    assertThat(new String(d.identities().get(0))).isEqualTo("peer-identity");
  }

  @Test
  void jupyterClientVerifiesWhatWeEncode() throws Exception {
    MessageFactory factory = new MessageFactory("java", Clock.systemUTC());
    JupyterMessage m =
        factory.request("kernel_info_request", JsonNodeFactory.instance.objectNode().put("x", "é"));
    ArrayNode frames = JSON.createArrayNode();
    for (byte[] f : WireCodec.encode(List.of("id".getBytes()), m, MessageSigner.forKey(key))) {
      frames.add(Base64.getEncoder().encodeToString(f));
    }

    JsonNode verified = JSON.readTree(PythonPeer.run("wire_peer.py", frames.toString(), "verify", key));

    assertThat(verified.path("msg_type").asText()).isEqualTo("kernel_info_request");
    assertThat(verified.path("content").path("x").asText()).isEqualTo("é");
  }
}
