package dev.kernelpool.bridge.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kernelpool.bridge.launcher.PayloadException;
import dev.kernelpool.bridge.launcher.ResponseSender;
import dev.kernelpool.bridge.bench.GatewayStandIn;
import dev.kernelpool.bridge.bench.LocalIpykernel;
import dev.kernelpool.bridge.bench.LaunchScriptRunner;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Garbage on every port: each bad input gets its error, and the sidecar keeps serving. */
class HostileInputIT {
  @TempDir Path dir;

  private static HttpResponse<String> post(Sidecar s, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.url() + "/v1/claims")).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void raw(java.net.InetSocketAddress to, byte[] bytes) throws Exception {
    try (Socket s = new Socket(to.getAddress(), to.getPort())) {
      OutputStream out = s.getOutputStream();
      out.write(bytes);
      out.flush();
      s.shutdownOutput();
      s.getInputStream().readAllBytes();
    } catch (java.io.IOException ignored) {
      // the server may close on garbage
    }
  }

  @Test
  void garbageEverywhereThenAClaimStillWorks() throws Exception {
    try (Sidecar sidecar = SidecarFixture.start(dir.resolve("work"), 1, "5s");
        GatewayStandIn eg = new GatewayStandIn()) {
      SidecarFixture.awaitWarm(sidecar, 1);
      String t = sidecar.token();

      assertThat(post(sidecar, null, "{}").statusCode()).isEqualTo(401);
      assertThat(post(sidecar, t, "not json").body()).contains("\"reason\":\"malformed\"", "body is not JSON");
      assertThat(post(sidecar, t, "{\"version\": 2}").body()).contains("unsupported claim version");
      assertThat(post(sidecar, t, "{\"version\":1,\"kernel_id\":\"k\",\"kernelspec\":\"python3\","
          + "\"response_address\":\"nohost\",\"public_key\":\"x\"}").body()).contains("response address must be host:port");
      assertThat(post(sidecar, t, "{\"version\":1,\"kernel_id\":\"k\",\"kernelspec\":\"python3\","
          + "\"response_address\":\"127.0.0.1:1\",\"public_key\":\"bm9wZQ==\"}").body()).contains("public_key: not an RSA public key");
      assertThat(post(sidecar, t, "{\"version\":1,\"kernel_id\":\"../../etc\",\"kernelspec\":\"python3\","
          + "\"response_address\":\"127.0.0.1:1\",\"public_key\":\"" + eg.publicKey() + "\"}").statusCode()).isEqualTo(400);
      assertThat(post(sidecar, t, "x".repeat(300_000)).statusCode()).isEqualTo(413);
      raw(sidecar.httpAddress(), "\u0000\u00ff garbage \r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      raw(sidecar.responseListener().address().socketAddress(), "\u0000\u00ff garbage".getBytes(StandardCharsets.ISO_8859_1));
      ResponseSender.deliver(sidecar.responseListener().address(), "bm90IGEgcGF5bG9hZA==", Duration.ofSeconds(2));

      String kernelId = UUID.randomUUID().toString();
      LaunchScriptRunner.Result run = LaunchScriptRunner.run(LocalIpykernel.PYTHON, dir, "python3", kernelId, eg,
          Map.of("KERNEL_POOL_URL", sidecar.url(), "KERNEL_POOL_TOKEN", t));
      var r = eg.await(kernelId, Duration.ofSeconds(30));
      SidecarFixture.shutdown(r);

      assertThat(run.heldAsStandIn()).as(run.stderr()).isTrue();
      assertThat(sidecar.responseListener().rejectedCount(PayloadException.Reason.NOT_BASE64)
          + sidecar.responseListener().rejectedCount(PayloadException.Reason.NOT_JSON)).isEqualTo(2);
      assertThat(sidecar.metrics().render())
          .contains("kernelpool_claim_requests_rejected_total{reason=\"malformed\"} 5")
          .contains("kernelpool_claim_requests_rejected_total{reason=\"too_large\"} 1");
    }
  }
}
