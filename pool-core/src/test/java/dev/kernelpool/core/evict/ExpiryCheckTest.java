package dev.kernelpool.core.evict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.MemberState;
import dev.kernelpool.core.snapshot.PoolMember;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpiryCheckTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final PoolProfile P = PoolProfile.of("ns", "python3", "img", Resources.parse("cpu=1"));
  private final ExpiryCheck check =
      new ExpiryCheck(new LifecycleRules(Duration.ofHours(4), Duration.ofMinutes(10)));

  @ParameterizedTest(name = "{0} aged {1} min -> {2}")
  @CsvSource(
      nullValues = "NONE",
      value = {
        "WARM, 239, NONE",
        "WARM, 240, TTL_EXPIRED",
        "STARTING, 9, NONE",
        "STARTING, 10, START_TIMEOUT",
        "STARTING, 300, START_TIMEOUT",
        "CLAIMED, 10000, NONE",
        "TERMINATING, 10000, NONE",
      })
  void expiresOnlyLiveMembers(MemberState state, long ageMinutes, Expiry expected) {
    PoolMember m = new PoolMember("m", P, state, NOW.minus(Duration.ofMinutes(ageMinutes)));

    assertThat(check.check(m, NOW)).isEqualTo(Optional.ofNullable(expected));
  }
}
