package dev.kernelpool.bridge.cli;

import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.sim.trace.Launch;
import dev.kernelpool.core.sim.trace.QuotaFileReader;
import dev.kernelpool.core.sim.trace.TraceReader;
import dev.kernelpool.core.snapshot.LaunchSeries;
import dev.kernelpool.core.snapshot.PoolProfile;
import dev.kernelpool.core.snapshot.QuotaKeys;
import dev.kernelpool.k8s.cluster.KubeClients;
import dev.kernelpool.k8s.history.HistoryCodec;
import dev.kernelpool.k8s.history.LaunchHistoryKeeper;
import dev.kernelpool.k8s.pods.PoolLabels;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ResourceQuota;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "export-trace",
    mixinStandardHelpOptions = true,
    description = {
      "Write the launch history a Kubernetes pool has learnt (its <pool>-history ConfigMaps) as a",
      "simulator trace (trace.csv) and the namespaces' ResourceQuotas as quotas.csv, so `simulate` can",
      "compare policies on your own demand. Uses the kubeconfig, or the pod's service account.",
      "With --history: a local sidecar's history file (local.history) instead, and no quotas."
    })
final class ExportTraceCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for trace.csv and quotas.csv.")
  Path out;

  @Option(names = "--pool", defaultValue = "kernel-pool", description = "The pool's name (default ${DEFAULT-VALUE}).")
  String pool;

  @Option(names = "--history", paramLabel = "FILE",
      description = "A local sidecar's launch history (local.history, e.g. <workDir>/launch-history.json) instead of a cluster.")
  Path historyFile;

  @Option(names = "--api-url", description = "The API server; default: kubeconfig or in-cluster.")
  String apiUrl;

  @Option(names = "--session", defaultValue = "1h",
      description = "How long users keep a kernel, for every launch (the history has no end times; default ${DEFAULT-VALUE}).")
  String session;

  @Override
  public Integer call() throws Exception {
    Duration keep;
    try {
      keep = Duration.parse("PT" + session.toUpperCase(java.util.Locale.ROOT));
    } catch (java.time.format.DateTimeParseException e) {
      System.err.println("kernel-pool export-trace: --session must be like 30m or 2h, got " + session);
      return 2;
    }
    List<Launch> launches = new ArrayList<>();
    Map<String, Resources> quotas = new TreeMap<>();
    if (historyFile != null) {
      try {
        HistoryCodec.decode(Files.readString(historyFile)).launches().forEach((profile, series) -> add(launches, profile, series, keep));
      } catch (IOException | IllegalArgumentException e) {
        System.err.println("kernel-pool export-trace: cannot read the history " + historyFile + ": " + e.getMessage());
        return 1;
      }
      return write(launches, quotas);
    }
    CoreV1Api api = new CoreV1Api(KubeClients.connect(Optional.ofNullable(apiUrl), Duration.ofSeconds(30)).calls());
    try {
      for (V1ConfigMap cm : api.listConfigMapForAllNamespaces().labelSelector(PoolLabels.poolSelector(pool)).execute().getItems()) {
        String data = cm.getData() == null ? null : cm.getData().get(LaunchHistoryKeeper.DATA_KEY);
        if (data == null || !cm.getMetadata().getName().equals(pool + "-history")) {
          continue;
        }
        try {
          HistoryCodec.decode(data).launches().forEach((profile, series) -> add(launches, profile, series, keep));
        } catch (IllegalArgumentException e) {
          System.err.println("skipping " + cm.getMetadata().getNamespace() + "/" + cm.getMetadata().getName() + ": " + e.getMessage());
        }
      }
      for (V1ResourceQuota q : api.listResourceQuotaForAllNamespaces().execute().getItems()) {
        if (q.getSpec() == null || q.getSpec().getHard() == null) {
          continue;
        }
        Map<String, String> hard = new TreeMap<>();
        q.getSpec().getHard().forEach((k, v) -> hard.put(k, v.toSuffixedString()));
        quotas.merge(q.getMetadata().getNamespace(), QuotaKeys.parse(hard), Resources::minOfMentioned);
      }
    } catch (ApiException e) {
      if (e.getCode() == 0) {
        // no answer at all: ApiException's own text is a multi-line dump of an absent response
        Throwable cause = e.getCause() == null ? e : e.getCause();
        System.err.println("kernel-pool export-trace: cannot reach the API server at " + api.getApiClient().getBasePath() + " ("
            + Objects.toString(cause.getMessage(), cause.getClass().getSimpleName()) + "): give --api-url, a kubeconfig "
            + "($KUBECONFIG) or run in the cluster; or --history FILE for a local sidecar's history");
      } else {
        System.err.println("kernel-pool export-trace: the API server answered HTTP " + e.getCode() + ": " + e.getResponseBody());
      }
      return 1;
    }
    return write(launches, quotas);
  }

  private int write(List<Launch> launches, Map<String, Resources> quotas) throws IOException {
    launches.sort(Comparator.comparingLong(Launch::timestampMs).thenComparing(Launch::namespace));
    Files.createDirectories(out);
    try (Writer w = Files.newBufferedWriter(out.resolve("trace.csv"))) {
      TraceReader.write(launches, w);
    }
    try (Writer w = Files.newBufferedWriter(out.resolve("quotas.csv"))) {
      QuotaFileReader.write(quotas, w);
    }
    System.err.printf("%d launches in %d namespaces, %d quotas -> %s%n", launches.size(),
        launches.stream().map(Launch::namespace).distinct().count(), quotas.size(), out);
    return 0;
  }

  private static void add(List<Launch> into, PoolProfile profile, LaunchSeries series, Duration keep) {
    long cpu = profile.resources().milli("cpu");
    long memory = profile.resources().milli("memory");
    for (int i = 0; i < series.size(); i++) {
      into.add(new Launch(series.epochMilliAt(i), profile.namespace(), profile.kernelspec(), cpu, memory, keep.toSeconds()));
    }
  }
}
