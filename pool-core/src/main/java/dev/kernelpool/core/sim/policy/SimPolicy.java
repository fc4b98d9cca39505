package dev.kernelpool.core.sim.policy;

import dev.kernelpool.core.plan.PlanAction;
import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.sim.SimSettings;
import dev.kernelpool.core.sim.trace.Launch;
import dev.kernelpool.core.snapshot.NamespaceState;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A pool policy under simulation. The simulator asks it to decide for one namespace on a timer
 * ({@link #tick()}), after every event in that namespace ({@link #reactive()}), or both.
 */
public interface SimPolicy {
  /** A stable name for reports and the command line. */
  String name();

  /** Plan on a timer with this period, if any; none by default. */
  default Optional<Duration> tick() {
    return Optional.empty();
  }

  /** Plan after each launch in a namespace (the refill a claim triggers); not by default. */
  default boolean reactive() {
    return false;
  }

  /** What a warm kernel of {@code profile} is charged. */
  Resources footprint(PoolProfile profile);

  /** The actions for one namespace now. */
  List<PlanAction> decide(NamespaceState namespace, Instant now);

  /**
   * The actions for each of {@code namespaces} (in name order) now, in the same order: what a
   * timer pass asks. One namespace's decision must not depend on another's.
   */
  default List<List<PlanAction>> decideAll(List<NamespaceState> namespaces, Instant now) {
    List<List<PlanAction>> out = new ArrayList<>(namespaces.size());
    for (NamespaceState ns : namespaces) {
      out.add(decide(ns, now));
    }
    return out;
  }

  /**
   * What to do in one namespace now, and when to plan it again at the latest if nothing happens
   * (a plan's requeue-after); by default {@link #decide} and no such time.
   */
  default Decision plan(NamespaceState namespace, Instant now) {
    return new Decision(decide(namespace, now), Optional.empty());
  }

  /** {@link #plan} for each of {@code namespaces}, as {@link #decideAll}. */
  default List<Decision> planAll(List<NamespaceState> namespaces, Instant now) {
    List<Decision> out = new ArrayList<>(namespaces.size());
    for (List<PlanAction> actions : decideAll(namespaces, now)) {
      out.add(new Decision(actions, Optional.empty()));
    }
    return out;
  }

  /** A namespace's actions, and when to plan it again at the latest. */
  record Decision(List<PlanAction> actions, Optional<Instant> replanBy) {}

  /** Pool kernels to create at fixed times, known in advance (only an oracle knows them). */
  default List<ScheduledCreate> schedule(List<Launch> trace, SimSettings settings) {
    return List.of();
  }

  /** A pool kernel of {@code profile} to create at {@code atMillis}. */
  record ScheduledCreate(long atMillis, PoolProfile profile) {}
}
