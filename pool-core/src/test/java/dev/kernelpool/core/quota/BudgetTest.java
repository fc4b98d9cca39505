package dev.kernelpool.core.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kernelpool.core.resource.Resources;
import org.junit.jupiter.api.Test;

class BudgetTest {

  @Test
  void copiesAreLimitedByTheScarcestMentionedResource() {
    Budget b = Budget.of(Resources.parse("cpu=1,memory=1Gi"));

    assertThat(b.copiesOf(Resources.parse("cpu=100m,memory=256Mi,pods=1"))).isEqualTo(4);
  }

  @Test
  void unmentionedResourcesAreUnlimited() {
    Budget b = Budget.of(Resources.parse("pods=3"));

    assertThat(b.copiesOf(Resources.parse("cpu=64,pods=1"))).isEqualTo(3);
    assertThat(b.copiesOf(Resources.parse("cpu=64"))).isEqualTo(Long.MAX_VALUE);
    assertThat(Budget.unlimited().fits(Resources.parse("cpu=1000"))).isTrue();
  }

  @Test
  void minusOnlyTouchesLimitedNames() {
    Budget b = Budget.of(Resources.parse("cpu=1")).minus(Resources.parse("cpu=300m,memory=1Gi"));

    assertThat(b.limits()).isEqualTo(Resources.parse("cpu=700m"));
    assertThat(b.limits().has("memory")).isFalse();
  }

  @Test
  void minTakesTheTighterLimitPerName() {
    Budget a = Budget.of(Resources.parse("cpu=1,memory=2Gi"));
    Budget b = Budget.of(Resources.parse("cpu=2,pods=5"));

    assertThat(a.min(b).limits()).isEqualTo(Resources.parse("cpu=1,memory=2Gi,pods=5"));
    assertThat(a.min(Budget.unlimited())).isSameAs(a);
  }

  @Test
  void atLeastRaisesLimits() {
    Budget b = Budget.of(Resources.parse("cpu=50m,memory=1Gi"));

    assertThat(b.atLeast(Resources.parse("cpu=100m")).limits())
        .isEqualTo(Resources.parse("cpu=100m,memory=1Gi"));
  }

  @Test
  void fitsChecksEveryLimit() {
    Budget b = Budget.of(Resources.parse("cpu=1,memory=1Gi"));
    assertThat(b.fits(Resources.parse("cpu=1,memory=1Gi"))).isTrue();
    assertThat(b.fits(Resources.parse("cpu=1001m"))).isFalse();
  }
}
