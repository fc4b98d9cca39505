package dev.kernelpool.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kernelpool.core.plan.PoolSizing;
import dev.kernelpool.core.sim.policy.Policies;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SidecarConfigTest {
  @Test
  void anEmptyFileIsAWorkingLocalSetup() {
    SidecarConfig c = SidecarConfig.parseYaml("{}");

    assertThat(c.httpHost()).isEqualTo("127.0.0.1");
    assertThat(c.httpPort()).isEqualTo(8765);
    assertThat(c.kernelspecs()).extracting(k -> k.name()).containsExactly("python3");
    assertThat(c.policy().sizing().maxPoolFraction()).isEqualTo(0.10);
    assertThat(c.policy().sizing().maxUsageFraction()).isEqualTo(0.95);
    assertThat(c.policy().lifecycle().memberTtl()).isEqualTo(Duration.ofHours(4));
  }

  @Test
  void readsEveryGroup() {
    SidecarConfig c = SidecarConfig.parseYaml(String.join("\n",
        "http: {host: 0.0.0.0, port: 9000}",
        "claim: {timeout: 3s, personalizeCode: 'x = 1'}",
        "policy: {maxPoolFraction: 0.2, memberTtl: 2h, initialFootprint: {cpu: 50m}, optInLabel: 'pool=on'}",
        "kernelspecs:",
        "  - {name: spark, image: img, resources: {cpu: 2, memory: 4Gi}, min: 1, max: 3, warmupCode: 'import pyspark'}",
        ""));

    assertThat(c.httpPort()).isEqualTo(9000);
    assertThat(c.claimTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.policy().sizing().maxPoolFraction()).isEqualTo(0.2);
    assertThat(c.policy().lifecycle().memberTtl()).isEqualTo(Duration.ofHours(2));
    assertThat(c.policy().eligibility().optIn()).isPresent();
    assertThat(c.policy().profiles()).singleElement().satisfies(r -> assertThat(r.max()).isEqualTo(3));
    assertThat(c.kernelspecs().get(0).warmupCode()).isEqualTo("import pyspark");
  }

  @Test
  void theSimulatorsAdaptivePolicyIsAConfiguration() {
    SidecarConfig c = SidecarConfig.parseYaml("""
        policy:
          forecaster: combined
          sizing: marginal
          horizon: 7m
          minLaunchesPerHour: 0.01
          topMinLaunchesPerHour: 0.005
          minHitsPerIdleHour: 3
          refill: 90s
          quietRefillDelay: 5m
          quietLaunchesPerHour: 0.025
          popularTiesFirst: true
        """);

    assertThat(c.forecaster()).isEqualTo("combined");
    assertThat(c.policy().demand()).isEqualTo(Policies.adaptiveDemand(Duration.ofSeconds(90)));
    assertThat(SidecarConfig.defaults().policy().demand().sizing()).isInstanceOf(PoolSizing.CoverHorizon.class);
    assertThat(SidecarConfig.defaults().forecaster()).isEqualTo("frequency");
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "htp: {port: 1} | htp: unknown key",
        "http: {port: 70000} | http.port: expected a whole number from 0 to 65535",
        "policy: {memberTtl: soon} | policy.memberTtl: expected a duration",
        "policy: {maxPoolFraction: 2} | sizing.maxPoolFraction must be in (0, 1]",
        "kernelspecs: [{image: x}] | kernelspecs[0].name: required",
        "kernelspecs: [{name: a, resources: {memory: lots}}] | invalid quantity 'lots'",
        "kernelspecs: [{name: a, min: 3, max: 1}] | need 0 <= min <= max",
        "claim: [1] | claim: expected a mapping",
        "policy: {sizing: magic} | policy.sizing: must be horizon or marginal, got 'magic'",
        "policy: {forecaster: crystal-ball} | policy.forecaster: must be one of frequency, seasonal, combined",
        "policy: {sizing: marginal, minHitsPerIdleHour: 0} | demand.minHitsPerIdleHour must be a positive number",
        "claim: {timeout: 0s} | claim.timeout: must be more than zero",
        "kernelspecs: [] | kernelspecs: empty",
        "local: {portRange: 1..2} | local.portRange: 1..2 must lie within 1024..65535 and span at least 1000 ports",
        "local: {portRange: lots} | local.portRange: expected lower..upper",
      })
  void badValuesFailFastNamingTheKey(String yaml, String message) {
    assertThatThrownBy(() -> SidecarConfig.parseYaml(yaml.trim()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message.trim());
  }
}
