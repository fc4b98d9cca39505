package dev.kernelpool.core.snapshot;

import dev.kernelpool.core.quota.FootprintRule;
import dev.kernelpool.core.resource.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One namespace of a {@link ClusterSnapshotBuilder}. Profiles are named by kernelspec and
 * resources ({@code "cpu=1,memory=2Gi"}, Kubernetes quantities); their image is the kernelspec's
 * name unless {@link #profile} gives one. Times are relative to the snapshot's instant.
 */
public final class NamespaceStateBuilder {
  private final String name;
  private final Instant now;
  private final Map<String, String> labels = new HashMap<>();
  private Optional<Resources> hard = Optional.empty();
  private Resources other = Resources.none();
  private final List<PoolMember> members = new ArrayList<>();
  private final Map<PoolProfile, List<Long>> launches = new LinkedHashMap<>();
  private final List<PoolProfile> declared = new ArrayList<>();
  private int ids;

  NamespaceStateBuilder(String name, Instant now) {
    this.name = name;
    this.now = now;
  }

  /** The profile of {@code kernelspec} with {@code resources} in this namespace, with its own image. */
  public PoolProfile profile(String kernelspec, String image, String resources) {
    return PoolProfile.of(name, kernelspec, image, Resources.parse(resources));
  }

  /** The profile of {@code kernelspec} with {@code resources}, its image named after the kernelspec. */
  public PoolProfile profile(String kernelspec, String resources) {
    return profile(kernelspec, kernelspec, resources);
  }

  /** The namespace's ResourceQuota hard limits ({@code "cpu=20,memory=64Gi,pods=100"}); without one it has no quota. */
  public NamespaceStateBuilder quota(String hardLimits) {
    this.hard = Optional.of(Resources.parse(hardLimits));
    return this;
  }

  /** What everything but the pool uses of the quota now (running kernels, other workloads). */
  public NamespaceStateBuilder otherUsage(String used) {
    this.other = Resources.parse(used);
    return this;
  }

  public NamespaceStateBuilder label(String key, String value) {
    labels.put(key, value);
    return this;
  }

  /** A pool member of {@code profile} in {@code state}, created {@code age} ago. */
  public NamespaceStateBuilder member(PoolProfile profile, MemberState state, Duration age) {
    members.add(new PoolMember(name + "-member-" + ids++, profile, state, now.minus(age)));
    return this;
  }

  /** A warm pool kernel, created {@code age} ago. */
  public NamespaceStateBuilder warm(String kernelspec, String resources, Duration age) {
    return member(profile(kernelspec, resources), MemberState.WARM, age);
  }

  /** A pool kernel still starting, created {@code age} ago. */
  public NamespaceStateBuilder starting(String kernelspec, String resources, Duration age) {
    return member(profile(kernelspec, resources), MemberState.STARTING, age);
  }

  /** Launches of {@code profile}, each {@code ago} before now. */
  public NamespaceStateBuilder launched(PoolProfile profile, Duration... ago) {
    List<Long> times = launches.computeIfAbsent(profile, p -> new ArrayList<>());
    for (Duration d : ago) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("a launch " + d + " ago is in the future");
      }
      times.add(now.minus(d).toEpochMilli());
    }
    return this;
  }

  /** A launch of {@code kernelspec} with {@code resources} every {@code interval} over the last {@code span}. */
  public NamespaceStateBuilder launchesEvery(String kernelspec, String resources, Duration interval, Duration span) {
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("interval must be positive: " + interval);
    }
    PoolProfile p = profile(kernelspec, resources);
    List<Duration> ago = new ArrayList<>();
    for (Duration d = interval; d.compareTo(span) <= 0; d = d.plus(interval)) {
      ago.add(d);
    }
    return launched(p, ago.toArray(Duration[]::new));
  }

  /** A profile an operator declared for this namespace: a candidate before any launch. */
  public NamespaceStateBuilder declared(String kernelspec, String resources) {
    declared.add(profile(kernelspec, resources));
    return this;
  }

  NamespaceState build(FootprintRule footprint, KernelspecPopularity popularity) {
    Map<PoolProfile, LaunchSeries> series = new HashMap<>();
    launches.forEach((p, times) -> series.put(p, LaunchSeries.ofEpochMillis(times.stream().mapToLong(Long::longValue).toArray())));
    Optional<Quota> quota = hard.map(h -> new Quota(h, other.plus(footprint.chargedFor(members))));
    return new NamespaceState(name, labels, quota, members, new LaunchHistory(series), declared, popularity);
  }
}
