package dev.kernelpool.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kernelpool.core.resource.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LaunchRecorderTest {
  private static final long DAY = 24 * 3_600_000L;
  private static final Instant START = Instant.parse("2026-03-02T00:20:00Z");
  private static final List<PoolProfile> PROFILES = List.of(
      PoolProfile.of("a", "python3", "img", Resources.parse("cpu=1")),
      PoolProfile.of("b", "ir", "img", Resources.parse("cpu=1")),
      PoolProfile.of("b", "python3", "img", Resources.parse("cpu=2")));

  /**
   * The shape kept as launches are recorded is the one counted from every launch, at any time: as
   * days complete, as the window moves past the first days, and after a saved history is restored.
   */
  @Test
  void theLaunchShapeKeptAsLaunchesComeIsTheOneCountedFromAllOfThem() {
    LaunchRecorder recorder = new LaunchRecorder(Duration.ofDays(7));
    SplittableRandom random = new SplittableRandom(7);
    // a saved history of two days before the start, restored first
    PoolProfile restored = PROFILES.get(1);
    recorder.recordAll(restored, LaunchSeries.ofEpochMillis(LongStream.range(0, 50)
        .map(i -> START.toEpochMilli() - 2 * DAY + i * 3_000_000L).toArray()));
    Instant now = START;
    for (int i = 0; i < 3_000; i++) {
      now = now.plusMillis(random.nextLong(1, 600_000)); // about 12 days in all
      recorder.record(PROFILES.get(random.nextInt(PROFILES.size())), now);
      if (i % 97 == 0) {
        Instant later = now.plusMillis(random.nextLong(1, 600_000));
        long from = later.minus(Duration.ofDays(7)).toEpochMilli();
        KernelspecPopularity kept = recorder.popularity(later);
        assertThat(kept.shape()).as("at launch %d", i)
            .isEqualTo(LaunchShape.count(recorder.export(later), from, later.toEpochMilli()));
        assertThat(kept.launches()).isEqualTo(KernelspecPopularity.count(recorder.export(later), from).launches());
      }
    }
    assertThat(now).isAfter(START.plus(Duration.ofDays(9)));
  }
}
