package dev.kernelpool.core.snapshot;

import dev.kernelpool.core.resource.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * What every plan of the shaped policy reads first: the cluster's kernelspec counts and launch
 * shape over a week of {@code launches} launches in 1,000 namespaces with 3 profiles each, as the
 * recorder keeps them ({@code kept}) and counted again from every launch ({@code counted}, what
 * each reconcile did before). Run with {@code mvn -pl pool-core test-compile exec:exec@bench
 * -Dbench=LaunchShapeBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class LaunchShapeBenchmark {
  private static final Instant NOW = Instant.parse("2026-03-09T14:00:00Z");

  @Param({"100000", "1000000"})
  int launches;

  private LaunchRecorder recorder;
  private java.util.Map<PoolProfile, LaunchSeries> series;

  @Setup
  public void setUp() {
    SplittableRandom rnd = new SplittableRandom(42);
    List<PoolProfile> profiles = new ArrayList<>();
    for (int ns = 0; ns < 1000; ns++) {
      for (String spec : List.of("python3", "ir", "spark")) {
        profiles.add(PoolProfile.of("team-" + ns, spec, "img", Resources.parse("cpu=1")));
      }
    }
    recorder = new LaunchRecorder(Duration.ofDays(7));
    long start = NOW.minus(Duration.ofDays(7)).toEpochMilli();
    long step = Duration.ofDays(7).toMillis() / launches;
    for (int i = 0; i < launches; i++) {
      recorder.record(profiles.get(rnd.nextInt(profiles.size())), Instant.ofEpochMilli(start + i * step));
    }
    series = recorder.export(NOW);
  }

  @Benchmark
  public KernelspecPopularity kept() {
    return recorder.popularity(NOW);
  }

  @Benchmark
  public KernelspecPopularity counted() {
    return KernelspecPopularity.count(series, NOW.minus(Duration.ofDays(7)).toEpochMilli(), NOW.toEpochMilli());
  }
}
