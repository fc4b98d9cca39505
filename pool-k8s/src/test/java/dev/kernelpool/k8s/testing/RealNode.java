package dev.kernelpool.k8s.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real node on a {@link RealCluster}: kubelet and kube-scheduler v1.20.2, containerd, runc and the
 * CNI bridge from {@code ../shared/node} (found through {@code KERNEL_POOL_NODE_HOME} or the system
 * property {@code kernelpool.node.home}; {@code .ci/run} sets it). Pods are scheduled, their images
 * pulled (from a registry on 127.0.0.1) or found on the node, and run in containers with their own
 * network namespace, address and cgroup. Pods reach only {@link #gateway()}; the host reaches pods.
 *
 * <p>{@link #close()} stops the node and then checks that it left nothing behind: no process of its
 * own, no mount under its folder, no network namespace of its pods, no bridge. What remains fails
 * the test that closed it.
 */
public final class RealNode implements AutoCloseable {
  /** Where the node's images are cached between runs (they are rebuilt only when their inputs change). */
  public static final Path IMAGES = Path.of(Optional.ofNullable(System.getenv("KERNEL_POOL_IMAGES_DIR")).orElse("/var/tmp/kernel-pool-images"));

  private final Path home;
  private final Path clusterDir;
  private final String name;
  private final Map<String, String> env;

  private RealNode(Path home, Path clusterDir, String name, Map<String, String> env) {
    this.home = home;
    this.clusterDir = clusterDir;
    this.name = name;
    this.env = env;
  }

  /** The folder with the node's scripts and binaries, when one is given and usable. */
  public static Optional<Path> home() {
    return SharedPeer.home("kernelpool.node.home", "KERNEL_POOL_NODE_HOME", "start-node.sh", "stop-node.sh");
  }

  /**
   * A node's pod network: a {@code /24} no route of this host uses yet, and its gateway (the
   * bridge's address on this host), known before the node starts so the API server's certificate
   * can name it.
   */
  public record PodNetwork(String cidr, String gateway) {
    /** The first free {@code 10.88.N.0/24}, as {@code start-node.sh} would pick it. */
    public static PodNetwork free() throws IOException, InterruptedException {
      String routes = Scripts.run(Path.of("/"), List.of("ip", "-4", "route"), Map.of(), 30);
      for (int n = 0; n < 256; n++) {
        String prefix = "10.88." + n + ".";
        if (routes.lines().noneMatch(l -> l.startsWith(prefix))) {
          return new PodNetwork(prefix + "0/24", prefix + "1");
        }
      }
      throw new IOException("no free 10.88.N.0/24 on this host");
    }

    /**
     * {@code start-cluster.sh}'s settings for an API server that pods on this network reach at the
     * gateway, under a certificate that names it.
     */
    public Map<String, String> apiServerSettings() {
      return Map.of("APISERVER_BIND", "0.0.0.0", "APISERVER_EXTRA_SANS", "IP:" + gateway);
    }
  }

  /** Starts node {@code name} on {@code cluster} and {@code network}, with a registry on 127.0.0.1 holding the kernel image. */
  public static RealNode start(Path home, RealCluster cluster, String name, PodNetwork network) throws IOException, InterruptedException {
    Files.createDirectories(IMAGES);
    String envFile = Scripts.run(home, List.of(home.resolve("start-node.sh").toString(), cluster.dir().toString(), name),
        Map.of("IMAGES_DIR", IMAGES.toString(), "WITH_REGISTRY", "1", "POD_CIDR", network.cidr()), 600).strip();
    Map<String, String> env = SharedPeer.env(Path.of(envFile.lines().reduce((a, b) -> b).orElseThrow()));
    return new RealNode(home, cluster.dir(), name, env);
  }

  public String name() {
    return name;
  }

  /** The bridge's address on this host: the only address pods reach. */
  public String gateway() {
    return env.get("POD_GATEWAY");
  }

  /** The kernel image as imported on the node ({@code docker.io/realnode/kernel-py:dev}). */
  public String kernelImage() {
    return env.get("KERNEL_IMAGE");
  }

  /** The pause image on the node: a container that runs and never reports, as a kernel that hangs in its start. */
  public String pauseImage() {
    return env.get("PAUSE_IMAGE");
  }

  /** The same image in the registry on 127.0.0.1: a pod that names it pulls it for real. */
  public String kernelImageRemote() {
    return env.get("KERNEL_IMAGE_REMOTE");
  }

  /** {@code 127.0.0.1:port} of the node's registry. */
  public String registry() {
    return env.get("REGISTRY");
  }

  public Path dir() {
    return Path.of(env.get("NODE_DIR"));
  }

  /** Runs {@code ctr} against this node's containerd, in the CRI's namespace; its output. */
  public String ctr(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ctr", "-a", env.get("CONTAINERD_SOCK"), "-n", "k8s.io"));
    command.addAll(List.of(args));
    return Scripts.run(home, command, Map.of(), 120);
  }

  /** The kubelet's command line and environment while it is stopped ({@link #stopKubelet()}), to start it again as it was. */
  private List<String> stoppedKubelet = List.of();
  private Map<String, String> stoppedKubeletEnv = Map.of();

  /**
   * Stops the kubelet (SIGTERM, as a crash or an upgrade would end it) and leaves every container
   * running: containerd and the pods' network stay. The node's status is no longer posted.
   */
  public void stopKubelet() throws IOException, InterruptedException {
    Path pidFile = dir().resolve("pids/kubelet.pid");
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    ProcessHandle kubelet = ProcessHandle.of(pid).orElseThrow(() -> new IOException("the kubelet (pid " + pid + ") is not running"));
    stoppedKubelet = List.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8).split("\0"));
    Map<String, String> environment = new java.util.HashMap<>();
    for (String e : new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")), StandardCharsets.UTF_8).split("\0")) {
      int eq = e.indexOf('=');
      if (eq > 0) {
        environment.put(e.substring(0, eq), e.substring(eq + 1));
      }
    }
    stoppedKubeletEnv = environment;
    kubelet.destroy();
    try {
      kubelet.onExit().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      kubelet.destroyForcibly();
    }
  }

  /** Starts the kubelet {@link #stopKubelet()} stopped, with its command line, environment and log, in a session of its own. */
  public void startKubelet() throws IOException {
    if (stoppedKubelet.isEmpty()) {
      throw new IllegalStateException("the kubelet was not stopped");
    }
    List<String> command = new ArrayList<>(List.of("setsid"));
    command.addAll(stoppedKubelet);
    ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir().resolve("logs/kubelet.log").toFile()));
    pb.environment().clear();
    pb.environment().putAll(stoppedKubeletEnv);
    Process kubelet = pb.start(); // setsid execs the kubelet in place: this is its pid, which stop-node.sh stops
    Files.writeString(dir().resolve("pids/kubelet.pid"), kubelet.pid() + "\n");
    stoppedKubelet = List.of();
  }

  /**
   * Builds a kernel image like the node's (EG's launcher and bootstrap on Debian's python3 and
   * ipykernel) with Debian's {@code extraPackages} added, as an OCI archive of
   * {@code realnode/REPOSITORY:TAG}, cached in {@link #IMAGES}{@code /REPOSITORY-TAG} (rebuilt only
   * when its inputs change). Two tags of the same packages differ in their layer (file times), so a
   * node that holds one still has to pull the other in full.
   */
  public Path buildKernelImage(String repository, String tag, List<String> extraPackages) throws IOException, InterruptedException {
    String script = Files.readString(home.resolve("build-images.sh"));
    java.util.regex.Matcher defaults = java.util.regex.Pattern.compile("KERNEL_PACKAGES=\\$\\{KERNEL_PACKAGES:-([^}]*)}").matcher(script);
    if (!defaults.find()) {
      throw new IOException(home.resolve("build-images.sh") + " no longer names its default KERNEL_PACKAGES");
    }
    String packages = defaults.group(1) + " " + String.join(" ", extraPackages);
    String out = Scripts.run(home, List.of(home.resolve("build-images.sh").toString(), IMAGES.resolve(repository + "-" + tag).toString()),
        Map.of("KERNEL_IMAGE", "realnode/" + repository + ":" + tag, "KERNEL_PACKAGES", packages), 1800).strip();
    return Path.of(out.substring(out.lastIndexOf(' ') + 1));
  }

  /** Pushes the OCI archive {@code image} of {@link #buildKernelImage} to the node's registry; the reference a pod names to pull it. */
  public String push(Path image, String repository, String tag) throws IOException, InterruptedException {
    String remote = registry() + "/realnode/" + repository + ":" + tag;
    Scripts.run(home, List.of("skopeo", "copy", "--quiet", "--dest-tls-verify=false", "oci-archive:" + image + ":" + tag, "docker://" + remote),
        Map.of(), 600);
    return remote;
  }

  /**
   * Removes image {@code reference} from the node, as if it had never been pulled there: once no
   * container of it runs any more (it waits up to {@code wait}), its stopped containers, then every
   * name of it (its tags, the CRI's repo-digest and {@code sha256:<config>} names), synchronously,
   * so containerd keeps no unpacked layer to reuse. The next pod that names it pulls it in full.
   *
   * @return whether the image was on the node
   */
  public boolean removeImage(String reference, java.time.Duration wait) throws IOException, InterruptedException {
    // rows of REF TYPE DIGEST ...: the reference's manifest digest, then every name with that digest
    List<String[]> images = ctr("images", "ls").lines().skip(1).map(l -> l.split("\\s+")).filter(f -> f.length > 2).toList();
    Optional<String> digest = images.stream().filter(f -> f[0].equals(reference)).map(f -> f[2]).findFirst();
    if (digest.isEmpty()) {
      return false;
    }
    List<String> names = images.stream().filter(f -> f[2].equals(digest.get())).map(f -> f[0]).toList();
    org.awaitility.Awaitility.await(reference + "'s containers stopped").atMost(wait).pollInterval(java.time.Duration.ofMillis(200))
        .until(() -> !running(containersOf(names, digest.get())));
    List<String> containers = containersOf(names, digest.get());
    for (String c : containers) {
      try {
        ctr("tasks", "delete", c);
      } catch (IOException noTask) {
        // a container whose task the kubelet already removed
      }
      ctr("containers", "delete", c);
    }
    List<String> rm = new ArrayList<>(List.of("images", "rm", "--sync"));
    rm.addAll(names);
    ctr(rm.toArray(String[]::new));
    if (ctr("images", "ls", "-q").lines().anyMatch(names::contains)) {
      throw new IOException(reference + " is still on the node");
    }
    return true;
  }

  private List<String> containersOf(List<String> imageNames, String digest) throws IOException, InterruptedException {
    return ctr("containers", "ls").lines().skip(1).map(l -> l.split("\\s+"))
        .filter(f -> f.length > 1 && (imageNames.contains(f[1]) || f[1].equals(digest))).map(f -> f[0]).toList();
  }

  private boolean running(List<String> containers) throws IOException, InterruptedException {
    return ctr("tasks", "ls").lines().skip(1).map(l -> l.split("\\s+"))
        .anyMatch(f -> f.length > 2 && containers.contains(f[0]) && f[2].equals("RUNNING"));
  }

  /**
   * The folder of pod {@code uid}'s cgroup in the v1 hierarchy {@code controller} ({@code memory},
   * {@code freezer}, ...), under the node's QoS cgroups; empty if the kubelet made none (yet).
   */
  public Optional<Path> podCgroup(String controller, String uid) throws IOException {
    Path root = Path.of("/sys/fs/cgroup", controller).resolve(env.get("KUBELET_CGROUP_ROOT").substring(1)).resolve("kubepods");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.walk(root, 2)) {
      return s.filter(p -> p.getFileName().toString().equals("pod" + uid)).findFirst();
    }
  }

  /** Freezes (or thaws) every process of pod {@code uid}, as a hung node or a stopped VM would. */
  public void freeze(String uid, boolean frozen) throws IOException {
    Path cgroup = podCgroup("freezer", uid).orElseThrow(() -> new IOException("no freezer cgroup for pod " + uid));
    Files.writeString(cgroup.resolve("freezer.state"), frozen ? "FROZEN" : "THAWED");
  }

  @Override
  public void close() {
    try {
      Scripts.run(home, List.of(home.resolve("stop-node.sh").toString(), clusterDir.toString()), Map.of(), 300);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    List<String> left = leftovers();
    if (!left.isEmpty()) {
      throw new IllegalStateException("the node left behind: " + String.join("; ", left));
    }
  }

  /** What a stopped node left on this host: processes, mounts, network namespaces, its bridge. */
  public List<String> leftovers() {
    List<String> left = new ArrayList<>();
    String dir = dir().toString();
    String bridge = env.get("NODE_BRIDGE");
    try {
      if (Files.exists(Path.of("/sys/class/net", bridge))) {
        left.add("bridge " + bridge);
      }
      for (String mount : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        if (mount.contains(dir)) {
          left.add("mount " + mount.split(" ")[4]);
        }
      }
      try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
        procs.filter(p -> p.getFileName().toString().matches("\\d+")).forEach(p -> {
          try {
            String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
            if (cmdline.contains(dir) || cmdline.contains(clusterDir + "/node-bin")) {
              left.add("process " + p.getFileName() + " (" + cmdline.strip() + ")");
            }
          } catch (IOException gone) {
            // the process ended while we looked
          }
        });
      }
      Path netns = dir().resolve("containerd/state");
      if (Files.isDirectory(netns)) {
        try (Stream<Path> s = Files.walk(netns)) {
          s.filter(p -> p.toString().contains("/netns/") && Files.isRegularFile(p)).forEach(p -> left.add("netns " + p));
        }
      }
    } catch (IOException e) {
      left.add("cannot look: " + e.getMessage());
    }
    return left;
  }

  /** The node's scripts, run to completion. */
  static final class Scripts {
    private Scripts() {}

    static String run(Path home, List<String> command, Map<String, String> extra, int timeoutSeconds) throws IOException, InterruptedException {
      ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
      pb.environment().putAll(extra);
      Path err = Files.createTempFile("realnode", ".err");
      pb.redirectError(err.toFile());
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      Files.deleteIfExists(err);
      if (!done || p.exitValue() != 0) {
        p.destroyForcibly();
        String tail = stderr.length() > 4000 ? stderr.substring(stderr.length() - 4000) : stderr;
        throw new IOException(String.join(" ", command) + " failed: " + tail);
      }
      return out;
    }
  }
}
