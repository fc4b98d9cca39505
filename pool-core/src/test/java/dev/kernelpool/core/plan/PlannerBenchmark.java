package dev.kernelpool.core.plan;

import dev.kernelpool.core.forecast.LaunchFrequencyForecaster;
import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.ClusterSnapshot;
import dev.kernelpool.core.snapshot.LaunchHistory;
import dev.kernelpool.core.snapshot.LaunchSeries;
import dev.kernelpool.core.snapshot.MemberState;
import dev.kernelpool.core.snapshot.NamespaceState;
import dev.kernelpool.core.snapshot.PoolMember;
import dev.kernelpool.core.snapshot.PoolProfile;
import dev.kernelpool.core.snapshot.Quota;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A full plan of a large cluster: {@code namespaces} namespaces with 5 profiles each, a week of
 * launch history, a quota and a pool in every state. Run with {@code mvn -pl pool-core
 * test-compile exec:exec@bench -Dbench=PlannerBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class PlannerBenchmark {
  private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
  private static final String[] SPECS = {"python3", "ir", "spark", "scala", "julia"};

  @Param({"10000"})
  int namespaces;

  private ClusterSnapshot snapshot;
  private Planner planner;

  @Setup
  public void setUp() {
    SplittableRandom rnd = new SplittableRandom(42);
    List<NamespaceState> all = new ArrayList<>(namespaces);
    for (int n = 0; n < namespaces; n++) {
      String name = "team-" + n;
      Map<PoolProfile, LaunchSeries> history = new HashMap<>();
      List<PoolMember> members = new ArrayList<>();
      for (String spec : SPECS) {
        PoolProfile p =
            PoolProfile.of(
                name, spec, "quay.io/jupyter/" + spec, Resources.parse("cpu=1,memory=4Gi"));
        long[] launches = new long[rnd.nextInt(0, 100)];
        for (int i = 0; i < launches.length; i++) {
          launches[i] = NOW.toEpochMilli() - rnd.nextLong(1, Duration.ofDays(7).toMillis());
        }
        history.put(p, LaunchSeries.ofEpochMillis(launches));
        for (int m = rnd.nextInt(0, 3); m > 0; m--) {
          MemberState state = MemberState.values()[rnd.nextInt(4)];
          members.add(
              new PoolMember(
                  name + "-" + spec + "-" + m, p, state, NOW.minusSeconds(rnd.nextInt(0, 20_000))));
        }
      }
      Quota quota =
          new Quota(
              Resources.parse("cpu=100,memory=400Gi,pods=200"),
              Resources.parse("cpu=" + rnd.nextInt(0, 100) + ",memory=" + rnd.nextInt(0, 400) + "Gi"));
      all.add(new NamespaceState(name, Map.of(), Optional.of(quota), members, new LaunchHistory(history)));
    }
    snapshot = new ClusterSnapshot(all);
    planner =
        new Planner(
            PoolPolicy.DEFAULTS,
            new LaunchFrequencyForecaster(Duration.ofDays(7)),
            Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Benchmark
  public Plan fullPlan() {
    return planner.plan(snapshot);
  }
}
