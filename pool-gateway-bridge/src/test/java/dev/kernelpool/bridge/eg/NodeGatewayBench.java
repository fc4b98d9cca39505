package dev.kernelpool.bridge.eg;

import dev.kernelpool.bridge.bench.EnterpriseGatewayClient;
import dev.kernelpool.bridge.bench.EnterpriseGatewayClient.Started;
import dev.kernelpool.bridge.bench.EnterpriseGatewayClient.TimedLaunch;
import dev.kernelpool.bridge.bench.Percentiles;
import dev.kernelpool.bridge.sidecar.Sidecar;
import dev.kernelpool.core.snapshot.MemberState;
import dev.kernelpool.k8s.testing.RealNode;
import dev.kernelpool.k8s.testing.RealTestCluster;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1Pod;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The talk's headline on a real node: launches through the real Enterprise Gateway 3.3.0 (its own
 * {@code KubernetesProcessProxy}) on the real control plane and node, cold against warm.
 *
 * <p>Cold is EG's own {@code python_kubernetes} kernelspec: EG creates the pod from its template, the
 * scheduler places it, the kubelet pulls the image from the registry on 127.0.0.1 (removed from the
 * node before every cold launch, so each pull is complete) and starts EG's launcher. Warm is a
 * claim from the pool, through the launch script's kernelspec and through the plugin's. The image is
 * a kernel of the size users run: Debian's python3 with numpy, pandas, scipy and matplotlib. The pool
 * runs the same packages from a second build of that image, whose layer differs in file times only:
 * the pool's running pods hold their copy on the node, as pool pods on a cluster hold theirs, and
 * clearing the cold image must not leave containerd an unpacked layer to reuse.
 *
 * <p>Launches interleave script, plugin, cold; each starts once the pool has refilled and the node has
 * stopped the last cold kernel's containers. "201"
 * is {@code POST /api/kernels} to its answer, "first result" the same start to the result of
 * {@code 1+1} over a new websocket. Run: {@code mvn -pl pool-gateway-bridge test-compile
 * exec:exec@bench-node [-Dbench.args="LAUNCHES POLL..."]} (default {@code 5 default 0.05}; needs
 * root and {@code KERNEL_POOL_EG_HOME}, {@code KERNEL_POOL_K8S_HOME}, {@code KERNEL_POOL_NODE_HOME}).
 */
public final class NodeGatewayBench {
  /** Debian's scientific stack, added to the node's kernel image: what the cold launches pull. */
  static final List<String> SCIENTIFIC = List.of("python3-numpy", "python3-pandas", "python3-scipy", "python3-matplotlib");
  private static final Pattern PULLED = Pattern.compile("Successfully pulled image \"[^\"]+\" in ((?:\\d+h)?(?:\\d+m)?(?:[\\d.]+(?:ms|s))?)");

  /** One poll interval's launches: milliseconds per path, and the kubelet's own pull time per cold launch. */
  record Result(String pollInterval, Map<String, Percentiles> created, Map<String, Percentiles> firstResult, Percentiles pull) {}

  private final KubernetesGateway gateway;
  private final RealTestCluster cluster;
  private final RealNode node;
  private final String coldImage;
  private final PrintStream progress;

  private NodeGatewayBench(KubernetesGateway gateway, RealTestCluster cluster, String coldImage, PrintStream progress) {
    this.gateway = gateway;
    this.cluster = cluster;
    this.node = cluster.node().orElseThrow();
    this.coldImage = coldImage;
    this.progress = progress;
  }

  public static void main(String[] args) throws Exception {
    int launches = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    List<String> polls = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("default", "0.05");
    Path home = EnterpriseGateway.home();
    Path dir = Files.createTempDirectory("bench-node-");
    Optional<RealTestCluster> started = RealTestCluster.startWithNode(dir.resolve("cluster"));
    if (started.isEmpty()) {
      System.err.println("bench-node needs KERNEL_POOL_K8S_HOME and KERNEL_POOL_NODE_HOME (../shared/k8s, ../shared/node) and root");
      System.exit(2);
    }
    PrintStream out = System.out;
    List<Result> results = new ArrayList<>();
    try (RealTestCluster cluster = started.get()) {
      RealNode node = cluster.node().orElseThrow();
      long t0 = System.nanoTime();
      Path poolArchive = node.buildKernelImage("kernel-sci", "pool", SCIENTIFIC);
      Path coldArchive = node.buildKernelImage("kernel-sci", "cold", SCIENTIFIC);
      out.printf("images: %s (%d MiB), %s (%d MiB), built or found in %.0f s%n", poolArchive, Files.size(poolArchive) >> 20,
          coldArchive, Files.size(coldArchive) >> 20, (System.nanoTime() - t0) / 1e9);
      String poolImage = node.push(poolArchive, "kernel-sci", "pool");
      String coldImage = node.push(coldArchive, "kernel-sci", "cold");
      KubernetesGateway.Sizes sizes = KubernetesGateway.Sizes.NODE;
      KubernetesGateway.namespace(cluster, sizes);
      String first = polls.get(0).equals("default") ? "" : polls.get(0);
      try (KubernetesGateway gateway = KubernetesGateway.start(home, dir, cluster, node, cluster.adminKubeconfig(dir),
          new KubernetesGateway.Options(sizes, poolImage, coldImage, first, false))) {
        NodeGatewayBench bench = new NodeGatewayBench(gateway, cluster, coldImage, out);
        bench.teach();
        for (String poll : polls) {
          String interval = poll.equals("default") ? "" : poll;
          if (!interval.equals(first)) {
            gateway.startEg(interval);
          }
          first = null;
          results.add(bench.run(interval, launches));
        }
      }
    }
    deleteTree(dir);
    out.println();
    out.println(table(results));
  }

  private static void deleteTree(Path dir) throws IOException {
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The pool learns a namespace from its launches: one of each pooled kernelspec (cold, as the first always is). */
  private void teach() throws Exception {
    for (String kernelspec : List.of(KubernetesGateway.POOLED, KubernetesGateway.PLUGIN)) {
      Started s = client().start(kernelspec, user());
      if (s.status() != 201) {
        throw new IOException("EG answered " + s.status() + " to the first launch of " + kernelspec + ": " + s.body());
      }
      client().delete(s.kernelId());
    }
  }

  private Result run(String interval, int launches) throws Exception {
    String label = interval.isEmpty() ? "0.5 (EG's default)" : interval;
    Map<String, List<Double>> created = new LinkedHashMap<>();
    Map<String, List<Double>> result = new LinkedHashMap<>();
    List<String> paths = List.of("cold (EG's own pod, image pulled)", "warm, launch script", "warm, plugin");
    paths.forEach(p -> {
      created.put(p, new ArrayList<>());
      result.put(p, new ArrayList<>());
    });
    List<Double> pulls = new ArrayList<>();
    launchCold(new ArrayList<>(), new ArrayList<>(), new ArrayList<>()); // EG's own code paths warmed up; not counted
    for (int i = 0; i < launches; i++) {
      // the cold image off the node first: that waits until the last cold kernel's containers have
      // stopped, so every launch starts on a node that is not tearing down the one before
      clearColdImage(i > 0);
      launchWarm(KubernetesGateway.POOLED, created.get(paths.get(1)), result.get(paths.get(1)));
      launchWarm(KubernetesGateway.PLUGIN, created.get(paths.get(2)), result.get(paths.get(2)));
      launchCold(created.get(paths.get(0)), result.get(paths.get(0)), pulls);
      progress.printf("  poll %s, launch %d/%d: cold %.0f/%.0f ms (pull %.0f ms), script warm %.0f/%.0f ms, plugin warm %.0f/%.0f ms"
          + " (201 / first result)%n", label, i + 1, launches, created.get(paths.get(0)).get(i), result.get(paths.get(0)).get(i),
          pulls.get(i), created.get(paths.get(1)).get(i), result.get(paths.get(1)).get(i), created.get(paths.get(2)).get(i),
          result.get(paths.get(2)).get(i));
    }
    Map<String, Percentiles> c = new LinkedHashMap<>();
    Map<String, Percentiles> r = new LinkedHashMap<>();
    paths.forEach(p -> {
      c.put(p, Percentiles.of(created.get(p)));
      r.put(p, Percentiles.of(result.get(p)));
    });
    return new Result(label, c, r, Percentiles.of(pulls));
  }

  private void clearColdImage(boolean mustBeThere) throws Exception {
    if (!node.removeImage(coldImage, Duration.ofSeconds(120)) && mustBeThere) {
      throw new IOException(coldImage + " was not on the node: the last cold launch did not pull it");
    }
  }

  /** A cold launch, with the cold image off the node ({@link #clearColdImage}); its pod's pull is checked and timed. */
  private void launchCold(List<Double> created, List<Double> result, List<Double> pulls) throws Exception {
    clearColdImage(false);
    awaitQuiet();
    String kernelId = launch(KubernetesGateway.UNPOOLED, created, result);
    V1Pod pod = cluster.ops().pods(KubernetesGateway.NS, "kernel_id=" + kernelId + ",component=kernel").get(0);
    pulls.add(pullMillis(pod.getMetadata().getName()));
    client().delete(kernelId);
  }

  private void launchWarm(String kernelspec, List<Double> created, List<Double> result) throws Exception {
    awaitQuiet();
    long hits = sidecar().metrics().claims(KubernetesGateway.NS, kernelspec, "hit");
    String kernelId = launch(kernelspec, created, result);
    client().delete(kernelId);
    org.awaitility.Awaitility.await("the launch of " + kernelspec + " counted as a hit").atMost(Duration.ofSeconds(10))
        .until(() -> sidecar().metrics().claims(KubernetesGateway.NS, kernelspec, "hit") == hits + 1);
  }

  /** Start to 201 and start to the first result, in milliseconds; the kernel's id. */
  private String launch(String kernelspec, List<Double> created, List<Double> result) throws Exception {
    TimedLaunch launch = client().timedLaunch(kernelspec, user());
    created.add(launch.createdMillis());
    result.add(launch.firstResultMillis());
    return launch.kernelId();
  }

  /** Until both pooled kernelspecs have a warm kernel and no pool pod is starting (a refill would share the two cores). */
  private void awaitQuiet() {
    org.awaitility.Awaitility.await("the pool refilled").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(50))
        .until(() -> warm(KubernetesGateway.POOLED) && warm(KubernetesGateway.PLUGIN)
            && sidecar().registry().count(MemberState.STARTING) == 0);
  }

  private boolean warm(String kernelspec) {
    return sidecar().registry().all().stream().anyMatch(k -> k.state() == MemberState.WARM && k.profile().kernelspec().equals(kernelspec));
  }

  /** The kubelet's own measure of the pull of {@code pod}'s image, from its {@code Pulled} event; fails if the image was not pulled. */
  private double pullMillis(String pod) throws Exception {
    return org.awaitility.Awaitility.await("the kubelet's Pulled event of " + pod).atMost(Duration.ofSeconds(30)).until(() -> {
      for (CoreV1Event e : cluster.ops().events(KubernetesGateway.NS)) {
        if (pod.equals(e.getInvolvedObject().getName()) && "Pulled".equals(e.getReason())) {
          Matcher m = PULLED.matcher(e.getMessage());
          if (!m.find()) {
            throw new IllegalStateException("the cold launch's image was not pulled: " + e.getMessage());
          }
          return Optional.of(goDurationMillis(m.group(1)));
        }
      }
      return Optional.<Double>empty();
    }, Optional::isPresent).orElseThrow();
  }

  /** A Go duration as the kubelet prints it ({@code 1m2.5s}, {@code 950.3ms}) in milliseconds. */
  static double goDurationMillis(String d) {
    double millis = 0;
    Matcher m = Pattern.compile("([\\d.]+)(h|ms|m|s)").matcher(d);
    while (m.find()) {
      double v = Double.parseDouble(m.group(1));
      millis += switch (m.group(2)) {
        case "h" -> v * 3_600_000;
        case "m" -> v * 60_000;
        case "s" -> v * 1000;
        default -> v;
      };
    }
    return millis;
  }

  static String table(List<Result> results) {
    StringBuilder t = new StringBuilder("| EG_POLL_INTERVAL s | path | n | 201 p50 ms | first result p50 ms | first result min-max ms | first result vs cold |\n"
        + "|---|---|---|---|---|---|---|\n");
    for (Result r : results) {
      double cold = r.firstResult().values().iterator().next().p50();
      r.firstResult().forEach((path, p) -> t.append(String.format("| %s | %s | %d | %.0f | %.0f | %.0f-%.0f | %s |%n", r.pollInterval(), path,
          p.count(), r.created().get(path).p50(), p.p50(), p.min(), p.max(),
          p.p50() == cold ? "100%" : String.format("%.1f%% (%.0fx faster)", 100 * p.p50() / cold, cold / p.p50()))));
      t.append(String.format("| %s | the kubelet's pull of the cold image | %d | | %.0f | %.0f-%.0f | |%n", r.pollInterval(),
          r.pull().count(), r.pull().p50(), r.pull().min(), r.pull().max()));
    }
    return t.toString();
  }

  private EnterpriseGatewayClient client() {
    return gateway.client();
  }

  private Sidecar sidecar() {
    return gateway.sidecar();
  }

  /**
   * What a user's client sends. EG gives a launch 30 s by default, less than a cold pull of a
   * scientific image takes on a busy node; clients of such images raise it, as these do.
   */
  private static Map<String, String> user() {
    return Map.of("KERNEL_USERNAME", "bench", "KERNEL_NAMESPACE", KubernetesGateway.NS, "KERNEL_LAUNCH_TIMEOUT", "300");
  }
}
