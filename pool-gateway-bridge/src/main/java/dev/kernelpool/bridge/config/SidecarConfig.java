package dev.kernelpool.bridge.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kernelpool.core.eligibility.EligibilityRules;
import dev.kernelpool.core.eligibility.LabelRule;
import dev.kernelpool.core.evict.LifecycleRules;
import dev.kernelpool.core.forecast.DemandForecaster;
import dev.kernelpool.core.forecast.Forecasters;
import dev.kernelpool.core.forecast.LaunchFrequencyForecaster;
import dev.kernelpool.core.forecast.ShapedForecaster;
import dev.kernelpool.core.plan.BurstRule;
import dev.kernelpool.core.plan.DemandRules;
import dev.kernelpool.core.plan.PoolSizing;
import dev.kernelpool.core.plan.QuietRefill;
import dev.kernelpool.core.plan.PoolPolicy;
import dev.kernelpool.core.plan.ProfileRule;
import dev.kernelpool.core.plan.SmallQuotaRule;
import dev.kernelpool.core.quota.FootprintRule;
import dev.kernelpool.core.quota.SizingRules;
import dev.kernelpool.core.resource.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything the sidecar is configured with. Read from YAML by {@link #read(Path)}; every key has
 * a default (see {@code docs/configuration.md}), so an empty file is a working local setup.
 *
 * @param httpHost the claim API and status endpoints bind here (loopback by default)
 * @param token the shared token claims must present; empty means read {@code tokenFile}, or
 *     generate one into the work directory
 * @param claimTimeout how long one step of a claim (personalize, deliver) may take
 * @param jvmMetrics whether {@code /metrics} also carries the JVM's ({@code jvm_*}: memory, GC, threads)
 * @param personalizeCode extra Python run silently in a kernel at claim time
 * @param historyFile where the local backend keeps its launch history across restarts; empty: in
 *     memory only ({@code local.history: off})
 * @param forecastLookback the trailing window of the launch-frequency forecaster
 * @param forecaster the demand forecaster's name: {@code shaped} (the default), {@code frequency} (the talk's), {@code seasonal} or {@code combined}
 */
public record SidecarConfig(
    String httpHost,
    int httpPort,
    boolean jvmMetrics,
    String token,
    Optional<Path> tokenFile,
    String listenerHost,
    int listenerPort,
    Duration claimTimeout,
    String personalizeCode,
    String python,
    Path workDir,
    Optional<Path> historyFile,
    String namespace,
    String bindIp,
    String portRange,
    PoolPolicy policy,
    Duration forecastLookback,
    String forecaster,
    List<KernelspecTemplate> kernelspecs,
    ControllerSettings controller,
    Backend backend,
    KubernetesConfig kubernetes) {

  /** {@code local.history}: a path, {@code off}, or empty for the default in the work directory. */
  private static Optional<Path> historyFile(String configured, Path workDir) {
    if (configured.equals("off")) {
      return Optional.empty();
    }
    return Optional.of(configured.isBlank() ? workDir.resolve("launch-history.json") : Path.of(configured));
  }

  /** Where pool kernels run. */
  public enum Backend {
    /** Local processes: one namespace, no cluster. */
    LOCAL,
    /** Pods in users' namespaces, through the Kubernetes API. */
    KUBERNETES
  }

  public SidecarConfig {
    kernelspecs = List.copyOf(kernelspecs);
  }

  /** {@code 0..0} (any free port) or {@code lower..upper}, as EG's {@code EG_PORT_RANGE}: 1,000 ports at least. */
  private static String portRange(String text) {
    java.util.regex.Matcher m = PORT_RANGE.matcher(text.trim());
    if (!m.matches()) {
      throw new ConfigException("local.portRange: expected lower..upper such as 20000..29999, or 0..0, got \"" + text + "\"");
    }
    int lower = Integer.parseInt(m.group(1));
    int upper = Integer.parseInt(m.group(2));
    if (!(lower == 0 && upper == 0) && (lower < 1024 || upper > 65535 || upper - lower < 1000)) {
      throw new ConfigException("local.portRange: " + text + " must lie within 1024..65535 and span at least 1000 ports (or be 0..0)");
    }
    return text.trim();
  }

  private static final String[] ROOT =
      {"http", "token", "tokenFile", "responseListener", "claim", "local", "policy", "kernelspecs", "controller",
          "backend", "kubernetes"};
  private static final String[] HTTP = {"host", "port", "jvmMetrics"};
  private static final String[] LISTENER = {"host", "port"};
  private static final String[] CLAIM = {"timeout", "personalizeCode"};
  private static final String[] LOCAL = {"python", "workDir", "history", "namespace", "bindIp", "portRange"};
  private static final java.util.regex.Pattern PORT_RANGE = java.util.regex.Pattern.compile("(\\d{1,5})\\.\\.(\\d{1,5})");
  private static final String[] CONTROLLER = {"resync", "heartbeat", "readyTimeout"};
  private static final String[] KERNELSPEC =
      {"name", "image", "resources", "uid", "gid", "volumes", "serviceAccount", "warmupCode", "min", "max"};
  private static final String[] POLICY = {"maxPoolFraction", "maxUsageFraction", "noQuotaBudget", "memberTtl",
      "startTimeout", "horizon", "minLaunchesPerHour", "smallQuota", "smallQuotaMinLaunchesPerHour",
      "initialFootprint", "optOutLabel", "optInLabel", "launchWindow", "minRecentLaunches", "forecastLookback",
      "forecaster", "sizing", "refill", "minHitsPerIdleHour", "topMinLaunchesPerHour",
      "quietRefillDelay", "quietLaunchesPerHour", "popularTiesFirst"};
  /** Sections within policy: keys of their own, listed by {@link #keys()} under {@code policy.<section>.}. */
  private static final String BURST_SECTION = "burst";
  private static final String[] BURST = {"enabled", "minLaunches", "window", "lookahead", "startTime", "maxStarting", "days"};

  /** The configured demand forecaster. */
  public DemandForecaster demandForecaster() {
    return forecaster.equals(LaunchFrequencyForecaster.NAME)
        ? new LaunchFrequencyForecaster(forecastLookback)
        : Forecasters.byName(forecaster);
  }

  /** How often the pool is planned without an event: the backend's resync. */
  public Duration planningPeriod() {
    return backend == Backend.KUBERNETES ? kubernetes.resync() : controller.resync();
  }

  /** Every key the configuration accepts, as full paths ({@code policy.memberTtl}, {@code kernelspecs[].min}). */
  public static List<String> keys() {
    List<String> keys = new java.util.ArrayList<>(List.of("token", "tokenFile", "backend"));
    java.util.Map<String, String[]> groups = new java.util.LinkedHashMap<>();
    groups.put("http.", HTTP);
    groups.put("responseListener.", LISTENER);
    groups.put("claim.", CLAIM);
    groups.put("local.", LOCAL);
    groups.put("policy.", POLICY);
    groups.put("policy." + BURST_SECTION + ".", BURST);
    groups.put("kernelspecs[].", KERNELSPEC);
    groups.put("controller.", CONTROLLER);
    groups.put("kubernetes.", KubernetesConfig.KEYS);
    groups.forEach((prefix, names) -> {
      for (String n : names) {
        keys.add(prefix + n);
      }
    });
    return keys;
  }

  /** The configuration of an empty file: one python3 kernelspec, two warm kernels, local backend. */
  public static SidecarConfig defaults() {
    return parse(new ObjectMapper().createObjectNode());
  }

  /**
   * A local pool of {@code size} python3 kernels on free ports: what {@code demo} and {@code bench}
   * run.
   */
  public static SidecarConfig localPool(Path workDir, String python, int size) {
    return localPool(workDir, python, size, "python3");
  }

  /** A local pool of {@code size} kernels of {@code kernelspec} (the demo, benchmarks, tests). */
  public static SidecarConfig localPool(Path workDir, String python, int size, String kernelspec) {
    return parseYaml(
        "http: {port: 0}\nlocal: {workDir: '" + workDir + "', python: '" + python + "'}\n"
            + "kernelspecs:\n  - {name: " + kernelspec + ", resources: 'cpu=500m,memory=512Mi', min: " + size
            + ", max: " + size + "}\n");
  }

  public static SidecarConfig read(Path file) {
    try {
      JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
      return parse(tree);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read YAML: " + e.getMessage());
    }
  }

  public static SidecarConfig parseYaml(String yaml) {
    try {
      return parse(new ObjectMapper(new YAMLFactory()).readTree(yaml));
    } catch (IOException e) {
      throw new ConfigException("cannot read YAML: " + e.getMessage());
    }
  }

  static SidecarConfig parse(JsonNode tree) {
    ConfigNode root = new ConfigNode("", tree).allowOnly(ROOT);
    ConfigNode http = root.child("http").allowOnly(HTTP);
    ConfigNode listener = root.child("responseListener").allowOnly(LISTENER);
    ConfigNode claim = root.child("claim").allowOnly(CLAIM);
    ConfigNode local = root.child("local").allowOnly(LOCAL);
    ConfigNode controller = root.child("controller").allowOnly(CONTROLLER);
    try {
      List<KernelspecTemplate> specs = new ArrayList<>();
      List<ProfileRule> rules = new ArrayList<>();
      List<ConfigNode> specNodes = root.list("kernelspecs");
      if (!root.has("kernelspecs")) {
        specs.add(new KernelspecTemplate("python3", "local/python3", Resources.parse("cpu=500m,memory=512Mi"),
            OptionalLong.empty(), OptionalLong.empty(), List.of(), "", ""));
        rules.add(new ProfileRule("python3", "*", 2, 4));
      }
      if (root.has("kernelspecs") && specNodes.isEmpty()) {
        throw new ConfigException("kernelspecs: empty; name at least one kernelspec to pool (or leave the key out for python3)");
      }
      for (ConfigNode s : specNodes) {
        s.allowOnly(KERNELSPEC);
        String name = s.string("name", null);
        if (name == null) {
          throw new ConfigException(s.path() + ".name: required");
        }
        specs.add(new KernelspecTemplate(
            name,
            s.string("image", "local/" + name),
            Resources.parse(s.quantities("resources")),
            s.has("uid") ? OptionalLong.of(s.integer("uid", 0, 0, Integer.MAX_VALUE)) : OptionalLong.empty(),
            s.has("gid") ? OptionalLong.of(s.integer("gid", 0, 0, Integer.MAX_VALUE)) : OptionalLong.empty(),
            s.strings("volumes"),
            s.string("serviceAccount", ""),
            s.string("warmupCode", "")));
        rules.add(new ProfileRule(name, "*", s.integer("min", 0, 0, 10_000), s.integer("max", Integer.MAX_VALUE, 0, Integer.MAX_VALUE)));
      }
      Backend backend = backend(root.string("backend", "local"));
      KubernetesConfig kubernetes = KubernetesConfig.parse(root.child("kubernetes"));
      if (backend == Backend.KUBERNETES) {
        // EG puts its defaults for these into every container launch's environment: a pool pod
        // must have them too, or no launch ever matches it.
        specs.replaceAll(t -> t.withEgContainerDefaults(kubernetes.kernelServiceAccount()));
      }
      Path workDir = Path.of(local.string("workDir", System.getProperty("java.io.tmpdir") + "/kernel-pool"));
      // the measured best policy unless the configuration names another (docs/simulator.md)
      String forecasterName = forecaster(root.child("policy").string("forecaster", ShapedForecaster.NAME));
      return new SidecarConfig(
          http.string("host", "127.0.0.1"),
          http.integer("port", 8765, 0, 65535),
          http.bool("jvmMetrics", false),
          root.string("token", ""),
          Optional.ofNullable(root.string("tokenFile", null)).map(Path::of),
          listener.string("host", "127.0.0.1"),
          listener.integer("port", 0, 0, 65535),
          claim.positiveDuration("timeout", Duration.ofSeconds(2)),
          claim.string("personalizeCode", ""),
          local.string("python", "/usr/bin/python3"),
          workDir,
          historyFile(local.string("history", ""), workDir),
          local.string("namespace", "local"),
          local.string("bindIp", "127.0.0.1"),
          portRange(local.string("portRange", "0..0")),
          policy(root.child("policy"), rules, forecasterName).withBurst(burst(root.child("policy").child(BURST_SECTION), kubernetes.maxStarting())),
          root.child("policy").duration("forecastLookback", Duration.ofDays(7)),
          forecasterName,
          specs,
          new ControllerSettings(
              controller.duration("resync", Duration.ofSeconds(30)),
              controller.duration("heartbeat", Duration.ofSeconds(10)),
              controller.duration("readyTimeout", Duration.ofSeconds(60))),
          backend,
          kubernetes);
    } catch (ConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  private static Backend backend(String name) {
    return switch (name) {
      case "local" -> Backend.LOCAL;
      case "kubernetes" -> Backend.KUBERNETES;
      default -> throw new ConfigException("backend: must be local or kubernetes, got '" + name + "'");
    };
  }

  private static String forecaster(String name) {
    if (!Forecasters.names().contains(name)) {
      throw new ConfigException("policy.forecaster: must be one of " + String.join(", ", Forecasters.names()) + ", got '" + name + "'");
    }
    return name;
  }

  /**
   * The demand rules, whose defaults follow the forecaster: the shaped policy's
   * ({@link DemandRules#shaped}) with {@code shaped}, the default; the talk's with the others, so
   * {@code policy.forecaster: frequency} alone is the talk's policy.
   */
  private static DemandRules demand(ConfigNode p, String forecaster) {
    Duration refill = p.duration("refill", Duration.ofSeconds(90));
    boolean shaped = forecaster.equals(ShapedForecaster.NAME);
    DemandRules defaults = shaped ? DemandRules.shaped(refill) : DemandRules.DEFAULTS;
    double min = p.decimal("minLaunchesPerHour", defaults.minLaunchesPerHour());
    String sizing = p.string("sizing", defaults.sizing() instanceof PoolSizing.MarginalValue ? "marginal" : "horizon");
    double hits = defaults.sizing() instanceof PoolSizing.MarginalValue m ? m.minHitsPerIdleHour() : 3;
    PoolSizing rule = switch (sizing) {
      case "horizon" -> new PoolSizing.CoverHorizon();
      case "marginal" -> new PoolSizing.MarginalValue(refill, p.decimal("minHitsPerIdleHour", hits));
      default -> throw new ConfigException("policy.sizing: must be horizon or marginal, got '" + sizing + "'");
    };
    QuietRefill quiet = new QuietRefill(p.duration("quietRefillDelay", defaults.quietRefill().delay()),
        p.decimal("quietLaunchesPerHour", defaults.quietRefill().belowLaunchesPerHour()));
    return new DemandRules(p.duration("horizon", defaults.horizon()), min,
        p.decimal("topMinLaunchesPerHour", shaped ? defaults.topMinLaunchesPerHour() : min), rule, quiet,
        p.bool("popularTiesFirst", defaults.popularTiesFirst()));
  }

  /** policy.burst: off unless enabled; maxStarting defaults to the Kubernetes backend's. */
  private static BurstRule burst(ConfigNode b, int backendMaxStarting) {
    b.allowOnly(BURST);
    BurstRule d = BurstRule.DISABLED;
    return new BurstRule(
        b.bool("enabled", false),
        b.decimal("minLaunches", d.minLaunches()),
        b.positiveDuration("window", d.window()),
        b.positiveDuration("lookahead", d.lookahead()),
        b.positiveDuration("startTime", d.startTime()),
        b.integer("maxStarting", backendMaxStarting, 1, 100_000),
        b.integer("days", d.days(), 1, 60));
  }

  private static PoolPolicy policy(ConfigNode p, List<ProfileRule> rules, String forecaster) {
    String[] policyKeys = Arrays.copyOf(POLICY, POLICY.length + 1);
    policyKeys[POLICY.length] = BURST_SECTION;
    p.allowOnly(policyKeys);
    var noQuota = p.quantities("noQuotaBudget");
    String optOut = p.string("optOutLabel", "kernelpool.dev/pool=disabled");
    String optIn = p.string("optInLabel", "");
    return new PoolPolicy(
        new SizingRules(
            p.decimal("maxPoolFraction", 0.10),
            p.decimal("maxUsageFraction", 0.95),
            Optional.of(noQuota.isEmpty() ? Resources.parse("pods=8,cpu=8,memory=16Gi") : Resources.parse(noQuota))),
        new EligibilityRules(
            optOut.isBlank() ? Optional.empty() : Optional.of(LabelRule.parse(optOut)),
            optIn.isBlank() ? Optional.empty() : Optional.of(LabelRule.parse(optIn)),
            p.duration("launchWindow", Duration.ofDays(7)),
            p.integer("minRecentLaunches", 1, 0, Integer.MAX_VALUE)),
        new LifecycleRules(p.duration("memberTtl", Duration.ofHours(4)), p.duration("startTimeout", Duration.ofMinutes(2))),
        demand(p, forecaster),
        new SmallQuotaRule(p.bool("smallQuota", true), p.decimal("smallQuotaMinLaunchesPerHour", 1.0)),
        p.has("initialFootprint") ? new FootprintRule(Resources.parse(p.quantities("initialFootprint"))) : FootprintRule.DEFAULTS,
        rules,
        BurstRule.DISABLED);
  }
}
