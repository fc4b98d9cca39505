package dev.kernelpool.bridge.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kernelpool.bridge.bench.LocalIpykernel;
import dev.kernelpool.bridge.wire.ConnectionInfo;
import dev.kernelpool.bridge.wire.DecodeResult;
import dev.kernelpool.bridge.wire.JupyterMessage;
import dev.kernelpool.bridge.wire.MessageHeader;
import dev.kernelpool.bridge.wire.MessageSigner;
import dev.kernelpool.bridge.wire.ReplayGuard;
import dev.kernelpool.bridge.wire.WireCodec;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** A fake kernel answers with a reply signed by another key: the client must drop it. */
class ForgedReplyIT {

  @Test
  void replySignedWithAnotherKeyIsDroppedAndCounted() throws Exception {
    String key = LocalIpykernel.randomKey();
    ConnectionInfo info = LocalIpykernel.freeConnectionInfo(key);
    try (ZContext context = new ZContext()) {
      ZMQ.Socket shell = context.createSocket(SocketType.ROUTER);
      shell.setLinger(0);
      shell.bind(info.endpoint(info.shellPort()));
      CompletableFuture<Void> fake =
          CompletableFuture.runAsync(
              () -> {
                List<byte[]> frames = new ArrayList<>();
                do {
                  frames.add(shell.recv());
                } while (shell.hasReceiveMore());
                DecodeResult.Decoded request =
                    (DecodeResult.Decoded) WireCodec.decode(frames, MessageSigner.forKey(key), new ReplayGuard(4));
                JupyterMessage forged =
                    new JupyterMessage(
                        new MessageHeader("forged", "s", "mallory", "2026-01-01T00:00:00Z", "kernel_info_reply", "5.3"),
                        request.message().header().toJson(),
                        null,
                        JsonNodeFactory.instance.objectNode().put("status", "ok"),
                        null);
                List<byte[]> reply =
                    WireCodec.encode(request.identities(), forged, MessageSigner.forKey("not-the-key"));
                for (int i = 0; i < reply.size() - 1; i++) {
                  shell.sendMore(reply.get(i));
                }
                shell.send(reply.get(reply.size() - 1));
              });
      try (KernelClient client = new KernelClient(context, info, Clock.systemUTC())) {
        assertThatThrownBy(() -> client.kernelInfo(Duration.ofSeconds(2)))
            .isInstanceOf(KernelTimeoutException.class);
        fake.get();
        assertThat(client.rejectedMessages()).isEqualTo(1);
      }
      shell.close();
    }
  }
}
