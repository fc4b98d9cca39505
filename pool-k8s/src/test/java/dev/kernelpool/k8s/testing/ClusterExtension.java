package dev.kernelpool.k8s.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provides a test class's cluster: starts it once before the class's tests, in a folder of its own
 * under {@code /tmp/junit-*}, and stops it after them (then whatever its {@link Starter} added, then
 * the folder, unless a test of the class failed: then the folder stays, with the logs of what ran in
 * it, and one line on stderr names it); or, where the peer is absent, prints one line and skips the
 * class. Methods of the class (its {@code @BeforeAll} and {@code @BeforeEach} too) take the cluster,
 * anything the starter added, the class's {@link ApiCallRecorder} and its {@link ClassFolder} as
 * parameters, by type. Register it on the concrete class of a shared suite:
 *
 * <pre>{@code @RegisterExtension static final ClusterExtension CLUSTER = ClusterExtension.real();}</pre>
 */
public final class ClusterExtension implements BeforeAllCallback, ParameterResolver, TestWatcher {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ClusterExtension.class);

  /** Starts a cluster in a folder under {@code dir} (the class's); empty (with one line on stderr) where its peer is absent. */
  @FunctionalInterface
  public interface Starter {
    Optional<? extends TestCluster> start(Path dir, Resources resources) throws Exception;
  }

  /** What a starter hands the class besides the cluster: parameters by type, closed after the cluster. */
  public static final class Resources {
    private final List<Object> values = new ArrayList<>();

    public <T> T add(T value) {
      values.add(value);
      return value;
    }
  }

  /**
   * The class's folder, beside its cluster's: where the class keeps its own logs (a gateway's, a
   * sidecar's) so that they stay with the cluster's when a test fails.
   */
  public record ClassFolder(Path path) {}

  private final Starter starter;
  private final String absent;

  private ClusterExtension(Starter starter, String absent) {
    this.starter = starter;
    this.absent = absent;
  }

  /** A cluster from {@code starter}; {@code absent} names the peer the class is skipped without. */
  public static ClusterExtension of(String absent, Starter starter) {
    return new ClusterExtension(starter, absent);
  }

  /** The in-memory API server, its kubelet stand-in running nothing. */
  public static ClusterExtension inMemory() {
    return of("-", (dir, resources) -> Optional.of(new InMemoryCluster(KubeletSimulator.NOTHING)));
  }

  /** The in-memory API server, its kubelet stand-in running pods with {@code runtime} of a new folder (closed after the cluster where it is {@link AutoCloseable}). */
  public static ClusterExtension inMemory(java.util.function.Function<Path, KubeletSimulator.PodRuntime> runtime) {
    return of("-", (dir, resources) -> Optional.of(new InMemoryCluster(resources.add(runtime.apply(Files.createDirectories(dir.resolve("pods")))))));
  }

  /** The real control plane, its kubelet stand-in running pods with {@code runtime} of a new folder (closed after the cluster where it is {@link AutoCloseable}). */
  public static ClusterExtension real(java.util.function.Function<Path, KubeletSimulator.PodRuntime> runtime) {
    return of("no real control plane (KERNEL_POOL_K8S_HOME)",
        (dir, resources) -> RealTestCluster.start(dir.resolve("cluster"), resources.add(runtime.apply(Files.createDirectories(dir.resolve("pods"))))));
  }

  /** The real control plane ({@code KERNEL_POOL_K8S_HOME}), its kubelet stand-in running nothing. */
  public static ClusterExtension real() {
    return of("no real control plane (KERNEL_POOL_K8S_HOME)", (dir, resources) -> RealTestCluster.start(dir.resolve("cluster"), KubeletSimulator.NOTHING));
  }

  /** The real control plane with a real node ({@code KERNEL_POOL_K8S_HOME}, {@code KERNEL_POOL_NODE_HOME}). */
  public static ClusterExtension realNode() {
    return of("no real control plane and node (KERNEL_POOL_K8S_HOME, KERNEL_POOL_NODE_HOME)",
        (dir, resources) -> RealTestCluster.startWithNode(dir.resolve("cluster")));
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Path dir = Files.createTempDirectory("junit-");
    Resources resources = new Resources();
    Started started = new Started(dir, resources);
    // stored before the start, so that what a failed start left (its folder, its resources) is closed with the class
    context.getStore(NAMESPACE).put(Started.class, started);
    Optional<? extends TestCluster> cluster = starter.start(dir, resources);
    Assumptions.assumeTrue(cluster.isPresent(), absent);
    started.cluster = cluster.get();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    if (parameter.isAnnotated(TempDir.class)) {
      return false;
    }
    Class<?> type = parameter.getParameter().getType();
    return type == ApiCallRecorder.class || type == ClassFolder.class || started(context).values().anyMatch(type::isInstance);
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == ApiCallRecorder.class) {
      return started(context).recorder;
    }
    if (type == ClassFolder.class) {
      return new ClassFolder(started(context).dir);
    }
    return started(context).values().filter(type::isInstance).findFirst().orElseThrow();
  }

  /** Keeps the class's folder: what its cluster, kernels and gateway logged is what the failure needs explained. */
  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    Started started = context.getStore(NAMESPACE).get(Started.class, Started.class);
    if (started != null) {
      started.failed = true;
    }
  }

  private static Started started(ExtensionContext context) {
    Started started = context.getStore(NAMESPACE).get(Started.class, Started.class);
    if (started == null) {
      throw new IllegalStateException("ClusterExtension: register it with @RegisterExtension on a static field");
    }
    return started;
  }

  /** One class's cluster, closed by JUnit with the class's store after its {@code @AfterAll} methods. */
  private static final class Started implements AutoCloseable {
    private final Path dir;
    private final Resources resources;
    private final ApiCallRecorder recorder = new ApiCallRecorder();
    private TestCluster cluster;
    private volatile boolean failed;

    Started(Path dir, Resources resources) {
      this.dir = dir;
      this.resources = resources;
    }

    Stream<Object> values() {
      return Stream.concat(Stream.ofNullable(cluster), resources.values.stream());
    }

    @Override
    public void close() throws IOException {
      List<AutoCloseable> closing = new ArrayList<>();
      if (cluster != null) {
        closing.add(cluster); // a real node's close fails the class if the node left anything behind
      }
      for (int i = resources.values.size() - 1; i >= 0; i--) {
        if (resources.values.get(i) instanceof AutoCloseable c) {
          closing.add(c);
        }
      }
      if (failed) {
        System.err.println("ClusterExtension: a test failed; its class's folder stays: " + dir);
      } else {
        closing.add(() -> delete(dir));
      }
      try {
        Closing.all(closing.toArray(AutoCloseable[]::new));
      } catch (IOException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException("closing " + dir, e);
      }
    }

    private static void delete(Path dir) {
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
