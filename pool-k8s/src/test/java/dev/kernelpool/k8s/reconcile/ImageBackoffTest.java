package dev.kernelpool.k8s.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ImageBackoffTest {
  private final PoolProfile gone = PoolProfile.of("team-a", "python3", "registry/absent:1", Resources.parse("cpu=1"));
  private final PoolProfile other = PoolProfile.of("team-b", "python3", "registry/absent:1", Resources.parse("cpu=1"));
  private final Instant t0 = Instant.parse("2026-12-07T09:00:00Z");

  @Test
  void aFailedProfileWaitsFiveMinutesThenDoublingUpToAnHourAndOnlyInItsNamespace() {
    ImageBackoff images = new ImageBackoff();
    assertThat(images.failed(gone, t0)).isEqualTo(t0.plus(Duration.ofMinutes(5)));
    assertThat(images.failed(gone, t0.plusSeconds(10))).as("another pod of the same wave").isEqualTo(t0.plus(Duration.ofMinutes(5)));
    assertThat(images.blocks(gone, t0.plusSeconds(299))).isTrue();
    assertThat(images.blocks(gone, t0.plusSeconds(300))).isFalse();
    assertThat(images.blocks(other, t0)).as("the same image elsewhere is another namespace's pool").isFalse();
    Instant t1 = t0.plusSeconds(300);
    assertThat(images.failed(gone, t1)).isEqualTo(t1.plus(Duration.ofMinutes(10)));
    Instant t2 = t1.plus(Duration.ofMinutes(10));
    assertThat(images.failed(gone, t2)).isEqualTo(t2.plus(Duration.ofMinutes(20)));
    Instant t = t2;
    for (int i = 0; i < 10; i++) {
      t = images.failed(gone, t);
    }
    assertThat(images.failed(gone, t)).isEqualTo(t.plus(Duration.ofHours(1)));
  }

  @Test
  void aWarmPodOfTheProfileStartsItOver() {
    ImageBackoff images = new ImageBackoff();
    Instant until = images.failed(gone, t0);
    images.failed(gone, until);
    images.succeeded(gone);
    assertThat(images.blocks(gone, until)).isFalse();
    assertThat(images.failed(gone, until)).isEqualTo(until.plus(Duration.ofMinutes(5)));
  }
}
