package dev.kernelpool.bridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Print the pools of a running sidecar as a table (namespace, profile, warm/target, hits, misses, oldest member).")
final class StatusCommand implements Callable<Integer> {
  @Option(names = "--url", defaultValue = "http://127.0.0.1:8765", description = "The sidecar (default ${DEFAULT-VALUE}).")
  String url;

  @Override
  public Integer call() throws InterruptedException {
    JsonNode pools;
    try {
      HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()
          .send(HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + "/pools")).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        System.err.println("kernel-pool status: " + url + "/pools answered HTTP " + r.statusCode());
        return 1;
      }
      pools = new ObjectMapper().readTree(r.body());
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("kernel-pool status: cannot reach " + url + ": " + (e instanceof java.net.ConnectException
          ? "nothing answers there (is the sidecar running? --url names another)"
          : java.util.Objects.toString(e.getMessage(), e.getClass().getSimpleName())));
      return 1;
    }
    print(pools, System.out);
    return 0;
  }

  static void print(JsonNode pools, PrintStream out) {
    String format = "%-20s %-14s %-16s %-12s %-11s %6s %6s %8s%n";
    out.printf(Locale.ROOT, format, "NAMESPACE", "ELIGIBILITY", "KERNELSPEC", "PROFILE", "WARM/TARGET", "HITS", "MISSES", "OLDEST");
    for (JsonNode ns : pools.path("namespaces")) {
      if (ns.path("profiles").isEmpty()) {
        out.printf(Locale.ROOT, format, ns.path("namespace").asText(), ns.path("eligibility").asText(), "-", "-", "-", "-", "-", "-");
      }
      for (JsonNode p : ns.path("profiles")) {
        JsonNode age = p.path("oldest_age_seconds");
        out.printf(Locale.ROOT, format, ns.path("namespace").asText(), ns.path("eligibility").asText(),
            p.path("kernelspec").asText(), p.path("profile").asText(),
            p.path("warm").asInt() + "/" + p.path("target").asInt(), p.path("hits").asLong(), p.path("misses").asLong(),
            age.isNull() || age.isMissingNode() ? "-" : humanAge(age.asLong()));
      }
    }
  }

  private static String humanAge(long seconds) {
    if (seconds < 120) {
      return seconds + "s";
    }
    if (seconds < 7200) {
      return seconds / 60 + "m";
    }
    return seconds / 3600 + "h";
  }
}
