package dev.kernelpool.core.quota;

import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.Quota;
import java.util.Optional;

/** Computes a namespace's {@link NamespaceBudget} from its quota and the pool's charges. */
public final class QuotaBudget {
  private static final long MILLION = 1_000_000;

  private final SizingRules rules;
  private final long poolPpm;
  private final long usagePpm;

  public QuotaBudget(SizingRules rules) {
    this.rules = rules;
    this.poolPpm = SizingRules.ppm(rules.maxPoolFraction());
    this.usagePpm = SizingRules.ppm(rules.maxUsageFraction());
  }

  /**
   * The budget of a namespace, or empty when it has no quota and no default budget applies.
   *
   * @param quota the namespace's quota, if any
   * @param poolCharged what the pool's live and terminating members are charged now
   */
  public Optional<NamespaceBudget> of(Optional<Quota> quota, Resources poolCharged) {
    if (quota.isEmpty()) {
      return rules.noQuotaBudget()
          .map(b -> new NamespaceBudget(Budget.of(b), Budget.unlimited()));
    }
    Resources hard = quota.get().hard();
    if (hard.size() == 0) {
      return rules.noQuotaBudget()
          .map(b -> new NamespaceBudget(Budget.of(b), Budget.unlimited()));
    }
    Resources used = quota.get().used();
    Budget cap = Budget.of(hard.map((name, h) -> share(h, poolPpm)));
    // Usage outside the pool: what the quota charges less what pool members are charged.
    Budget room =
        Budget.of(
            hard.map(
                (name, h) -> share(h, usagePpm) - Math.max(0, used.milli(name) - poolCharged.milli(name))));
    return Optional.of(new NamespaceBudget(cap, room));
  }

  /** {@code floor(amount * ppm / 1e6)} without overflow for non-negative amounts. */
  static long share(long amount, long ppm) {
    return amount / MILLION * ppm + amount % MILLION * ppm / MILLION;
  }

  /** The usage ceiling of {@code hard}: the share of each limit that usage must stay within. */
  public Resources ceilingOf(Resources hard) {
    return hard.map((name, h) -> share(h, usagePpm));
  }
}
