package dev.kernelpool.bridge.sidecar;

import dev.kernelpool.bridge.backend.KubernetesWiring;

import dev.kernelpool.bridge.backend.PoolRuntime;

import dev.kernelpool.bridge.backend.LaunchHistoryFile;
import dev.kernelpool.bridge.backend.LocalBackend;
import dev.kernelpool.bridge.backend.PrivateDirectory;
import dev.kernelpool.bridge.claim.ClaimService;
import dev.kernelpool.bridge.config.KernelspecTemplate;
import dev.kernelpool.bridge.claim.Personalizer;
import dev.kernelpool.bridge.claim.ProfileResolver;
import dev.kernelpool.bridge.config.SidecarConfig;
import dev.kernelpool.bridge.http.PoolStatus;
import dev.kernelpool.bridge.http.SidecarHttpServer;
import dev.kernelpool.bridge.launcher.ConnectionInfoCipher;
import dev.kernelpool.bridge.launcher.PayloadException;
import dev.kernelpool.bridge.launcher.ResponseListener;
import dev.kernelpool.bridge.launcher.ResponseSender;
import dev.kernelpool.bridge.launcher.RsaKeys;
import dev.kernelpool.bridge.metrics.Metrics;
import dev.kernelpool.bridge.metrics.PoolMetrics;
import dev.kernelpool.bridge.pool.KernelConnections;
import dev.kernelpool.core.snapshot.LaunchRecorder;
import dev.kernelpool.bridge.pool.PoolKernel;
import dev.kernelpool.bridge.pool.WarmKernelRegistry;
import dev.kernelpool.core.plan.NamespacePlan;
import dev.kernelpool.core.snapshot.MemberState;
import dev.kernelpool.core.plan.Planner;
import dev.kernelpool.core.plan.ProfileTarget;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZContext;

/**
 * The sidecar, wired: response listener, the pool runtime (local processes, or pods on
 * Kubernetes), registry, claim service and HTTP server, started in that order and closed in reverse.
 */
public final class Sidecar implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Sidecar.class);

  private final ZContext context = new ZContext();
  private final WarmKernelRegistry registry = new WarmKernelRegistry();
  private final PoolMetrics metrics = new PoolMetrics();
  private final KernelConnections connections;
  private final ResponseListener listener;
  private final PoolRuntime runtime;
  private final SidecarHttpServer http;
  private final String token;
  private final Path tokenFile;

  private Sidecar(SidecarConfig config, Clock clock) throws IOException {
    SecureRandom random = new SecureRandom();
    ConnectionInfoCipher cipher = new ConnectionInfoCipher(random);
    KeyPair keys = RsaKeys.generate(2048, random);
    PrivateDirectory.ensure(config.workDir());
    connections = new KernelConnections(context, clock);
    LaunchRecorder launches = new LaunchRecorder(
        config.forecastLookback().compareTo(config.policy().eligibility().launchWindow()) > 0
            ? config.forecastLookback()
            : config.policy().eligibility().launchWindow());
    tokenFile = config.tokenFile().orElse(config.workDir().resolve("token"));
    token = resolveToken(config.token(), tokenFile, random);
    PoolRuntime[] runtimeRef = new PoolRuntime[1];
    listener = new ResponseListener(
        new InetSocketAddress(config.listenerHost(), config.listenerPort()), keys, cipher,
        (r, peer) -> runtimeRef[0] != null && runtimeRef[0].backend().authentic(r, peer),
        r -> runtimeRef[0].launched(r), ResponseListener.Settings.DEFAULTS);
    boolean onKubernetes = config.backend() == SidecarConfig.Backend.KUBERNETES;
    ProfileResolver resolver = new ProfileResolver(config.kernelspecs(),
        onKubernetes ? config.kubernetes().defaultNamespace() : config.namespace());
    Planner planner = new Planner(config.policy(), config.demandForecaster(), clock);
    Function<PoolProfile, String> warmup =
        p -> resolver.template(p.kernelspec()).map(KernelspecTemplate::warmupCode).orElse("");
    try {
      runtime = onKubernetes
          ? KubernetesWiring.start(config, clock, listener, kernelspec -> resolver.template(kernelspec).isPresent(), launches, warmup,
              registry, connections, metrics,
              token.getBytes(java.nio.charset.StandardCharsets.UTF_8))
          : local(config, clock, resolver, planner, launches, warmup);
    } catch (IOException | RuntimeException e) {
      listener.close();
      context.close();
      throw e;
    }
    runtimeRef[0] = runtime;
    // A start that fails from here on (a port in use, a bad token file) stops what it began.
    try {
      // On Kubernetes, launches are learnt from kernel pods (every replica sees them); locally, from claims.
      ClaimService claims = new ClaimService(resolver, registry, connections, runtime.backend(),
          onKubernetes ? (p, t) -> { } : launches::record,
          new Personalizer(config.personalizeCode()), new ResponseSender(cipher), metrics,
          runtime::requestReconcile, clock, config.claimTimeout());
      metrics.poolGauges(this::kernelSamples, this::targetSamples);
      metrics.leaderGauge(runtime::isLeader);
      for (String ns : onKubernetes ? config.kubernetes().namespaces() : List.of(config.namespace())) {
        config.kernelspecs().forEach(k -> metrics.expectClaims(ns, k.name()));
      }
      if (config.jvmMetrics()) {
        metrics.withJvmMetrics();
      }
      metrics.payloadGauge(() -> {
        List<Metrics.Sample> out = new ArrayList<>();
        for (PayloadException.Reason r : PayloadException.Reason.values()) {
          out.add(new Metrics.Sample(List.of(r.name()), listener.rejectedCount(r)));
        }
        return out;
      });
      http = new SidecarHttpServer(
          new InetSocketAddress(config.httpHost(), config.httpPort()), token, claims, metrics,
          runtime::isReady, runtime::problem, () -> PoolStatus.of(runtime.lastPlan(), registry.all(), metrics, clock.instant()), 32, clock);
    } catch (IOException | RuntimeException e) {
      runtime.close();
      listener.close();
      connections.close();
      context.close();
      throw e;
    }
    LOG.info("kernel pool sidecar ({} backend) on http://{}:{}, response address {}, token in {}",
        onKubernetes ? "kubernetes" : "local", config.httpHost(), http.address().getPort(), listener.address(), tokenFile);
  }

  private PoolRuntime local(SidecarConfig config, Clock clock, ProfileResolver resolver, Planner planner,
      LaunchRecorder launches, Function<PoolProfile, String> warmup) {
    Optional<LaunchHistoryFile> history = config.historyFile().map(f -> new LaunchHistoryFile(f, config.namespace()));
    history.ifPresent(h -> h.load(launches));
    LocalBackend backend = new LocalBackend(
        new LocalBackend.Settings(config.python(), config.workDir(), config.namespace(), config.bindIp(), config.portRange(),
            config.kernelspecs().stream().map(resolver::defaultProfile).toList()),
        listener.address(), listener.publicKey());
    PoolController controller = new PoolController(backend, registry, connections, launches, history, planner, warmup,
        metrics, clock, config.controller());
    controller.start();
    return new LocalRuntime(backend, controller);
  }

  /** Starts a sidecar; close it to stop every pool kernel it owns. */
  public static Sidecar start(SidecarConfig config, Clock clock) throws IOException {
    return new Sidecar(config, clock);
  }

  private static String resolveToken(String configured, Path file, SecureRandom random) {
    if (!configured.isBlank()) {
      return configured.trim();
    }
    try {
      if (Files.isRegularFile(file)) {
        String existing = Files.readString(file).trim();
        if (!existing.isEmpty()) {
          return existing;
        }
      }
      byte[] bytes = new byte[32];
      random.nextBytes(bytes);
      String generated = HexFormat.of().formatHex(bytes);
      Files.deleteIfExists(file);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, generated);
      return generated;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the token file " + file, e);
    }
  }

  /** Kernels by profile and state; every planned profile shows WARM and STARTING, zero included, so a dashboard sees 0, not a gap. */
  private List<Metrics.Sample> kernelSamples() {
    Map<List<String>, Long> counts = new TreeMap<>((a, b) -> String.join(",", a).compareTo(String.join(",", b)));
    runtime.lastPlan().ifPresent(plan -> {
      for (NamespacePlan ns : plan.namespaces()) {
        for (ProfileTarget t : ns.targets()) {
          for (MemberState state : List.of(MemberState.WARM, MemberState.STARTING)) {
            counts.put(List.of(ns.namespace(), t.profile().kernelspec(), t.profile().hash(), state.name()), 0L);
          }
        }
      }
    });
    for (PoolKernel k : registry.all()) {
      counts.merge(List.of(k.profile().namespace(), k.profile().kernelspec(), k.profile().hash(), k.state().name()), 1L, Long::sum);
    }
    List<Metrics.Sample> out = new ArrayList<>();
    counts.forEach((labels, n) -> out.add(new Metrics.Sample(labels, n)));
    return out;
  }

  private List<Metrics.Sample> targetSamples() {
    List<Metrics.Sample> out = new ArrayList<>();
    runtime.lastPlan().ifPresent(plan -> {
      for (NamespacePlan ns : plan.namespaces()) {
        for (ProfileTarget t : ns.targets()) {
          out.add(new Metrics.Sample(List.of(ns.namespace(), t.profile().kernelspec(), t.profile().hash()), t.target()));
        }
      }
    });
    return out;
  }

  public InetSocketAddress httpAddress() {
    return http.address();
  }

  /** The claim API's base URL. */
  public String url() {
    return "http://" + http.address().getHostString() + ":" + http.address().getPort();
  }

  public String token() {
    return token;
  }

  public Path tokenFile() {
    return tokenFile;
  }

  public WarmKernelRegistry registry() {
    return registry;
  }

  public PoolMetrics metrics() {
    return metrics;
  }

  /** Pauses or resumes changes to the pool (claims are still served). */
  public void setPaused(boolean paused) {
    runtime.setPaused(paused);
  }

  /** The local pool's controller; the Kubernetes pool is planned by the leader's reconciler instead. */
  public PoolController controller() {
    if (runtime instanceof LocalRuntime local) {
      return local.controller();
    }
    throw new IllegalStateException("the Kubernetes backend has no local controller");
  }

  public ResponseListener responseListener() {
    return listener;
  }

  @Override
  public void close() {
    http.close();
    runtime.close();
    listener.close();
    connections.close();
    context.close();
  }
}
