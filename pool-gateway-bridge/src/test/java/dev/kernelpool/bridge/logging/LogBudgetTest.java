package dev.kernelpool.bridge.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogBudgetTest {
  @Test
  void passesTheFirstLinesOfAWindowAndCountsTheRestIntoTheNextWindowsFirstLine() {
    AtomicLong millis = new AtomicLong(1_000);
    InstantSource clock = () -> Instant.ofEpochMilli(millis.get());
    LogBudget budget = new LogBudget(3, Duration.ofSeconds(10), clock);

    for (int i = 0; i < 3; i++) {
      assertThat(budget.take().allowed()).isTrue();
    }
    for (int i = 0; i < 1000; i++) {
      assertThat(budget.take().allowed()).isFalse();
    }
    millis.addAndGet(10_000);
    LogBudget.Grant next = budget.take();

    assertThat(next.allowed()).isTrue();
    assertThat(next.suppressed()).isEqualTo(1000);
    assertThat(next.note()).isEqualTo(" (1000 similar lines left out)");
    assertThat(budget.take().note()).isEmpty();
  }
}
