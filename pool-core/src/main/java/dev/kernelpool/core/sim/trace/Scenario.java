package dev.kernelpool.core.sim.trace;

import dev.kernelpool.core.resource.Resources;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The named synthetic scenarios, and the trace plus quotas one generates. */
public enum Scenario {
  /** Five weekdays, 20 namespaces, launches following office hours. */
  DIURNAL("diurnal"),
  /** A class of 300 opening notebooks within two minutes at 10:00 each weekday, light load otherwise. */
  CLASS("class"),
  /** 1,000 small namespaces with small quotas and a long tail of rare launches over a week. */
  LONG_TAIL("long-tail"),
  /** One busy namespace whose long sessions push usage close to its quota. */
  NEAR_QUOTA("near-quota"),
  /** 14 days, 50 namespaces, weekdays busy and weekends quiet. */
  WEEKLY("weekly"),
  /** 14 days, 1,000 namespaces, about a million launches: the speed benchmark. */
  LARGE("large"),
  /** Robustness: weekly's 14 days, the second week a holiday (weekdays as quiet as weekends). */
  HOLIDAY("holiday"),
  /** Robustness: the class, two weeks of weekdays, the second week at 14:00 instead of 10:00. */
  CLASS_MOVED("class-moved"),
  /** Robustness: the class, two weeks of weekdays, cancelled on the second Monday and Tuesday. */
  CLASS_CANCELLED("class-cancelled"),
  /** Robustness: diurnal over two weeks; from the second Monday a new kernelspec takes python3's users. */
  KERNELSPEC_TAKEOVER("kernelspec-takeover"),
  /** Robustness: near-quota over two weeks; on the first Wednesday at noon its quota shrinks to 60%. */
  QUOTA_SHRINK("quota-shrink");

  private final String id;

  Scenario(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** The scenario named {@code id}; unknown names fail listing the known ones. */
  public static Scenario byId(String id) {
    for (Scenario s : values()) {
      if (s.id.equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown scenario '" + id + "' (known: " + Arrays.stream(values()).map(Scenario::id).collect(Collectors.joining(", ")) + ")");
  }

  /** A generated trace, its namespaces' hard quotas, and changes to them in time order. */
  public record Generated(List<Launch> launches, Map<String, Resources> quotas, List<QuotaChange> quotaChanges) {
    public Generated {
      launches = List.copyOf(launches);
      quotas = Map.copyOf(quotas);
      quotaChanges = List.copyOf(quotaChanges);
    }

    public Generated(List<Launch> launches, Map<String, Resources> quotas) {
      this(launches, quotas, List.of());
    }
  }
}
