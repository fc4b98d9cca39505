package dev.kernelpool.bridge.config;

import java.time.Duration;

/**
 * The local pool controller's timings ({@code controller.*}).
 *
 * @param resync how often to plan without a trigger: the safety net
 * @param heartbeat how often warm kernels are heartbeat-checked
 * @param readyTimeout how long a reported kernel may take to answer kernel_info and warm up
 */
public record ControllerSettings(Duration resync, Duration heartbeat, Duration readyTimeout) {
  public static final ControllerSettings DEFAULTS =
      new ControllerSettings(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(60));
}
