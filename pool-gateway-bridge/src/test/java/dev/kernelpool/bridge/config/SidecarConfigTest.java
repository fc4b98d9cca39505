package dev.kernelpool.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kernelpool.core.plan.DemandRules;
import dev.kernelpool.core.plan.PoolSizing;
import dev.kernelpool.core.sim.policy.Policies;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
  void theLocalLaunchHistoryIsKeptInTheWorkDirectoryUnlessMovedOrSwitchedOff() {
    assertThat(SidecarConfig.parseYaml("local: {workDir: /srv/pool}").historyFile())
        .contains(Path.of("/srv/pool/launch-history.json"));
    assertThat(SidecarConfig.parseYaml("local: {history: /var/lib/pool/h.json}").historyFile())
        .contains(Path.of("/var/lib/pool/h.json"));
    assertThat(SidecarConfig.parseYaml("local: {history: 'off'}").historyFile()).isEmpty();
  }

  @Test
  void onKubernetesAClaimedKernelHasWhatItsLaunchAskedForUnlessSaidOtherwise() {
    KubernetesConfig defaults = SidecarConfig.parseYaml("backend: kubernetes").kubernetes();
    assertThat(defaults.resize()).isEqualTo(KubernetesConfig.Resize.AUTO);
    assertThat(defaults.resizeFallback()).as("a refused resize fails the claim").isTrue();

    KubernetesConfig lenient = SidecarConfig.parseYaml("kubernetes: {resize: 'off', resizeFallback: false}").kubernetes();
    assertThat(lenient.resize()).isEqualTo(KubernetesConfig.Resize.OFF);
    assertThat(lenient.resizeFallback()).isFalse();
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
  }

  @Test
  void aConfigurationThatNamesNoPolicyRunsTheShapedPolicyAndTheTalksIsOneLineAway() {
    SidecarConfig defaults = SidecarConfig.defaults();
    assertThat(defaults.forecaster()).isEqualTo("shaped");
    assertThat(defaults.policy().demand()).as("the simulator's shaped: sizing, horizon and prices")
        .isEqualTo(DemandRules.shaped(Duration.ofSeconds(90)));
    assertThat(defaults.policy().smallQuota().enabled()).isTrue();
    assertThat(SidecarConfig.parseYaml("policy: {refill: 3m}").policy().demand())
        .isEqualTo(DemandRules.shaped(Duration.ofMinutes(3)));

    SidecarConfig talks = SidecarConfig.parseYaml("policy: {forecaster: frequency}");
    assertThat(talks.policy().demand()).as("the talk's: cover the horizon's launches, 15 minutes").isEqualTo(DemandRules.DEFAULTS);
    assertThat(talks.policy().demand().sizing()).isInstanceOf(PoolSizing.CoverHorizon.class);

    SidecarConfig overridden = SidecarConfig.parseYaml("policy: {horizon: 20m, minHitsPerIdleHour: 2}");
    assertThat(overridden.policy().demand().horizon()).isEqualTo(Duration.ofMinutes(20));
    assertThat(((PoolSizing.MarginalValue) overridden.policy().demand().sizing()).minHitsPerIdleHour()).isEqualTo(2);
    assertThat(overridden.policy().demand().topMinLaunchesPerHour()).as("the rest stays shaped's").isEqualTo(0.005);
  }

  @Test
  void onKubernetesAKernelspecConfiguredAsDocumentedMatchesWhatEgPutsIntoEveryLaunch() throws Exception {
    // EG's KubernetesProcessProxy puts KERNEL_UID 1000, KERNEL_GID 100 and KERNEL_SERVICE_ACCOUNT_NAME
    // (its default account) into every launch, whether the client sent them or not: a pool
    // configured without them never matched a launch.
    SidecarConfig c = SidecarConfig.parseYaml(String.join("\n",
        "backend: kubernetes",
        "kernelspecs: [{name: python_kubernetes_pooled, image: 'elyra/kernel-py:3.3.0', resources: {cpu: '1', memory: 2Gi}}]",
        "kubernetes: {kernelServiceAccount: kernels}", ""));
    dev.kernelpool.bridge.claim.ProfileResolver resolver = new dev.kernelpool.bridge.claim.ProfileResolver(c.kernelspecs(), "team-a");
    Map<String, String> egLaunch = Map.of("KERNEL_USERNAME", "alice", "KERNEL_NAMESPACE", "team-a",
        "KERNEL_UID", "1000", "KERNEL_GID", "100", "KERNEL_SERVICE_ACCOUNT_NAME", "kernels");

    assertThat(resolver.resolve("python_kubernetes_pooled", egLaunch))
        .isEqualTo(resolver.defaultProfile(c.kernelspecs().get(0)));
    // a kernelspec's own values stay; the local backend has no such defaults (EG's distributed mode sets none)
    assertThat(SidecarConfig.parseYaml("backend: kubernetes\nkernelspecs: [{name: a, uid: 5}]").kernelspecs().get(0).uid()).hasValue(5);
    assertThat(SidecarConfig.parseYaml("kernelspecs: [{name: a}]").kernelspecs().get(0).uid()).isEmpty();
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
        "kubernetes: {resize: sometimes} | kubernetes.resize must be auto or off, got 'sometimes'",
      })
  void badValuesFailFastNamingTheKey(String yaml, String message) {
    assertThatThrownBy(() -> SidecarConfig.parseYaml(yaml.trim()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message.trim());
  }
}
