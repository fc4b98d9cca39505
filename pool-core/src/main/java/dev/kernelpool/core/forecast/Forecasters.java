package dev.kernelpool.core.forecast;

import java.time.Duration;
import java.util.List;

/** The built-in forecasters by name: the one place they are registered. */
public final class Forecasters {
  private Forecasters() {}

  public static List<String> names() {
    return List.of(LaunchFrequencyForecaster.NAME, SeasonalForecaster.NAME, CombinedForecaster.NAME, ShapedForecaster.NAME);
  }

  /** The forecaster named {@code name} with its default settings; unknown names fail listing the known ones. */
  public static DemandForecaster byName(String name) {
    return switch (name) {
      case LaunchFrequencyForecaster.NAME -> new LaunchFrequencyForecaster(Duration.ofDays(7));
      case SeasonalForecaster.NAME -> SeasonalForecaster.defaults();
      case CombinedForecaster.NAME -> CombinedForecaster.defaults();
      case ShapedForecaster.NAME -> ShapedForecaster.defaults();
      default -> throw new IllegalArgumentException("unknown forecaster '" + name + "' (known: " + String.join(", ", names()) + ")");
    };
  }
}
