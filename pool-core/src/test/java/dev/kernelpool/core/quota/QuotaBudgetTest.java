package dev.kernelpool.core.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.Quota;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QuotaBudgetTest {
  private final QuotaBudget budgets = new QuotaBudget(SizingRules.DEFAULTS);

  @Test
  void poolCapIsTenPercentOfEachHardLimit() {
    Quota quota = new Quota(Resources.parse("cpu=40,memory=100Gi,pods=50"), Resources.none());

    NamespaceBudget b = budgets.of(Optional.of(quota), Resources.none()).orElseThrow();

    assertThat(b.poolCap().limits()).isEqualTo(Resources.parse("cpu=4,memory=10Gi,pods=5"));
  }

  @Test
  void usageRoomIsNinetyFivePercentLessUsageOutsideThePool() {
    Quota quota = new Quota(Resources.parse("cpu=100"), Resources.parse("cpu=80"));
    Resources pool = Resources.parse("cpu=5");

    NamespaceBudget b = budgets.of(Optional.of(quota), pool).orElseThrow();

    // outside the pool: 80 - 5 = 75; ceiling 95 -> room 20; cap 10.
    assertThat(b.usageRoom().limits()).isEqualTo(Resources.parse("cpu=20"));
    assertThat(b.keep().limits()).isEqualTo(Resources.parse("cpu=10"));
  }

  @Test
  void roomGoesNegativeWhenUsageAlreadyExceedsTheCeiling() {
    Quota quota = new Quota(Resources.parse("cpu=10"), Resources.parse("cpu=9.8"));

    NamespaceBudget b = budgets.of(Optional.of(quota), Resources.none()).orElseThrow();

    assertThat(b.usageRoom().limits().milli("cpu")).isEqualTo(-300);
    assertThat(b.keep().copiesOf(Resources.parse("cpu=100m"))).isZero();
  }

  @Test
  void namespaceWithoutQuotaGetsTheDefaultBudgetOrNone() {
    assertThat(budgets.of(Optional.empty(), Resources.none())).isEmpty();

    QuotaBudget withDefault =
        new QuotaBudget(new SizingRules(0.1, 0.95, Optional.of(Resources.parse("cpu=2,pods=3"))));
    NamespaceBudget b = withDefault.of(Optional.empty(), Resources.none()).orElseThrow();
    assertThat(b.poolCap().limits()).isEqualTo(Resources.parse("cpu=2,pods=3"));
    assertThat(b.usageRoom().isUnlimited()).isTrue();
  }

  @Test
  void fractionsAreExactOnLargeAmounts() {
    long huge = Long.MAX_VALUE / 2;
    assertThat(QuotaBudget.share(huge, 1_000_000)).isEqualTo(huge);
    assertThat(QuotaBudget.share(1_000_000_001, 100_000)).isEqualTo(100_000_000);
    assertThat(QuotaBudget.share(999, 950_000)).isEqualTo(949);
  }

  @Test
  void zeroHardLimitAllowsNothing() {
    Quota quota = new Quota(Resources.parse("nvidia.com/gpu=0,cpu=10"), Resources.none());
    NamespaceBudget b = budgets.of(Optional.of(quota), Resources.none()).orElseThrow();

    assertThat(b.keep().copiesOf(Resources.parse("cpu=100m,nvidia.com/gpu=1"))).isZero();
    assertThat(b.keep().copiesOf(Resources.parse("cpu=100m"))).isEqualTo(10);
  }

  @Test
  void rejectsBadFractionsNamingTheKey() {
    assertThatThrownBy(() -> new SizingRules(0, 0.95, Optional.empty()))
        .hasMessageContaining("sizing.maxPoolFraction");
    assertThatThrownBy(() -> new SizingRules(0.1, 1.5, Optional.empty()))
        .hasMessageContaining("sizing.maxUsageFraction");
    assertThatThrownBy(() -> new SizingRules(0.5, 0.4, Optional.empty()))
        .hasMessageContaining("must not exceed");
  }
}
