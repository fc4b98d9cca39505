package dev.kernelpool.bridge.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class StartBackoffTest {
  private final Instant t0 = Instant.parse("2026-11-29T10:00:00Z");

  @Test
  void toleratesTwoFailuresThenDoublesTheWaitUpToAMinute() {
    StartBackoff backoff = new StartBackoff();
    assertThat(backoff.failed(t0, "exit 1")).isFalse();
    assertThat(backoff.failed(t0, "exit 1")).isFalse();
    assertThat(backoff.startsAllowedAt(t0)).isEmpty();

    assertThat(backoff.failed(t0, "exit 1: No module named 'Cryptodome'")).isTrue();
    assertThat(backoff.startsAllowedAt(t0)).hasValue(t0.plusSeconds(1));
    assertThat(backoff.problem()).hasValueSatisfying(p -> assertThat(p).contains("3 in a row", "Cryptodome"));
    backoff.failed(t0, "x");
    assertThat(backoff.startsAllowedAt(t0)).hasValue(t0.plusSeconds(2));
    for (int i = 0; i < 20; i++) {
      backoff.failed(t0, "x");
    }
    assertThat(backoff.startsAllowedAt(t0)).hasValue(t0.plusSeconds(60));
    assertThat(backoff.startsAllowedAt(t0.plusSeconds(60))).isEmpty();
  }

  @Test
  void aWarmKernelEndsTheBackoff() {
    StartBackoff backoff = new StartBackoff();
    for (int i = 0; i < 5; i++) {
      backoff.failed(t0, "x");
    }
    backoff.succeeded();

    assertThat(backoff.startsAllowedAt(t0)).isEmpty();
    assertThat(backoff.problem()).isEmpty();
  }
}
