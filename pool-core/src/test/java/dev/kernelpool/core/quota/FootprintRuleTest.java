package dev.kernelpool.core.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.PoolProfile;
import org.junit.jupiter.api.Test;

class FootprintRuleTest {

  @Test
  void warmKernelsRequestTheSmallerOfInitialAndProfileAndOnePod() {
    PoolProfile p =
        PoolProfile.of("ns", "python3", "img", Resources.parse("cpu=4,memory=16Gi,nvidia.com/gpu=1"));

    Resources f = FootprintRule.DEFAULTS.footprintOf(p);

    assertThat(f).isEqualTo(Resources.parse("cpu=100m,memory=256Mi,nvidia.com/gpu=1,pods=1"));
  }

  @Test
  void profileSmallerThanInitialKeepsItsOwnRequests() {
    PoolProfile p = PoolProfile.of("ns", "python3", "img", Resources.parse("cpu=50m"));

    assertThat(FootprintRule.DEFAULTS.footprintOf(p)).isEqualTo(Resources.parse("cpu=50m,pods=1"));
  }

  @Test
  void emptyInitialMeansFullResources() {
    PoolProfile p = PoolProfile.of("ns", "python3", "img", Resources.parse("cpu=2,memory=4Gi"));

    assertThat(new FootprintRule(Resources.none()).footprintOf(p))
        .isEqualTo(Resources.parse("cpu=2,memory=4Gi,pods=1"));
  }
}
