package dev.kernelpool.core.plan;

import dev.kernelpool.core.eligibility.Eligibility;
import dev.kernelpool.core.eligibility.EligibilityCheck;
import dev.kernelpool.core.evict.EvictionOrder;
import dev.kernelpool.core.evict.Expiry;
import dev.kernelpool.core.evict.ExpiryCheck;
import dev.kernelpool.core.forecast.BurstForecast;
import dev.kernelpool.core.forecast.ProfileRanking;
import dev.kernelpool.core.forecast.RankedProfile;
import dev.kernelpool.core.quota.NamespaceBudget;
import dev.kernelpool.core.quota.QuotaBudget;
import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.KernelspecPopularity;
import dev.kernelpool.core.snapshot.LaunchSeries;
import dev.kernelpool.core.snapshot.MemberState;
import dev.kernelpool.core.snapshot.NamespaceState;
import dev.kernelpool.core.snapshot.PoolMember;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Plans one namespace. Live members may hold at most the budget's {@code keep()}; creations also
 * leave room for members that are terminating or deleted by this same plan, which are charged to
 * the quota until they are gone. That is what makes a plan idempotent: once its deletions are in
 * flight and its creations are starting, planning again finds nothing to do.
 */
final class NamespacePlanner {
  private final PoolPolicy policy;
  private final QuotaBudget quotaBudget;
  private final EligibilityCheck eligibilityCheck;
  private final ExpiryCheck expiryCheck;
  private final ProfileRanking ranking;
  private final TargetAllocator allocator;
  /** The burst rule's forecast, or null when the rule is off. */
  private final BurstForecast burstForecast;

  NamespacePlanner(PoolPolicy policy, ProfileRanking ranking) {
    this.policy = policy;
    this.quotaBudget = new QuotaBudget(policy.sizing());
    this.eligibilityCheck = new EligibilityCheck(policy.eligibility());
    this.expiryCheck = new ExpiryCheck(policy.lifecycle());
    this.ranking = ranking;
    this.allocator = new TargetAllocator(policy);
    BurstRule burst = policy.burst();
    this.burstForecast = burst.enabled()
        ? new BurstForecast(burst.minLaunches(), burst.window(), burst.lookahead(), burst.startTime(), burst.maxStarting(), burst.days())
        : null;
  }

  /** The pool's members of one profile in this namespace. */
  private static final class Group {
    final Resources footprint;
    /** Live members in surplus order (starting newest first, then warm oldest first); after expiry, only the kept ones. */
    List<PoolMember> live = List.of();
    int terminating;

    void addLive(PoolMember m) {
      if (live.isEmpty()) {
        live = new ArrayList<>(4);
      }
      live.add(m);
    }

    Group(Resources footprint) {
      this.footprint = footprint;
    }
  }

  /**
   * Plans {@code ns}.
   *
   * @param footprints a cache of warm footprints by profile resources, shared by the namespaces
   *     of one planning call
   */
  NamespacePlan plan(NamespaceState ns, Instant now, Map<Resources, Resources> footprints) {
    Function<PoolProfile, Group> newGroup = p -> new Group(footprintOf(p, footprints));
    Map<PoolProfile, Group> groups = groupMembers(ns, newGroup);
    Resources charged = sumOfFootprints(groups, true);
    Resources terminating = sumOfFootprints(groups, false);

    Optional<NamespaceBudget> budget = quotaBudget.of(ns.quota(), charged);
    Eligibility eligibility = eligibilityCheck.check(ns, budget.isPresent(), now);
    List<PlanAction> actions = new ArrayList<>();
    if (!eligibility.keepsPool()) {
      List<PoolMember> live = new ArrayList<>();
      groups.values().forEach(g -> live.addAll(g.live));
      live.sort(EvictionOrder.OLDEST_FIRST);
      for (PoolMember m : live) {
        actions.add(new PlanAction.Delete(m.id(), m.profile(), Reason.NOT_ELIGIBLE));
      }
      return new NamespacePlan(ns.name(), eligibility, Optional.empty(), List.of(), actions);
    }

    List<RankedProfile> ranked = ranking.rank(candidates(ns, groups, now), now,
        policy.demand().popularTiesFirst() ? ns.popularity() : KernelspecPopularity.NONE);
    List<PoolMember> deletedMembers = deleteExpired(groups, now, actions);
    NamespaceBudget b = budget.get();
    Room[] rooms = Room.of(b.poolCap(), b.usageRoom());
    Room poolCap = rooms[0];
    Room usageRoom = rooms[1];
    List<List<PoolMember>> kept = new ArrayList<>(ranked.size());
    Resources[] footprint = new Resources[ranked.size()];
    long[][] f = new long[ranked.size()][];
    for (int i = 0; i < f.length; i++) {
      PoolProfile p = ranked.get(i).profile();
      Group group = groups.get(p);
      kept.add(group == null ? List.of() : group.live);
      footprint[i] = group == null ? footprintOf(p, footprints) : group.footprint;
      f[i] = poolCap.project(footprint[i]);
    }
    int[] bursts = new int[ranked.size()];
    boolean[] underWay = new boolean[ranked.size()];
    Arrays.fill(bursts, TargetAllocator.NO_BURST);
    Optional<Instant> replanBy = Optional.empty();
    if (burstForecast != null) {
      for (int i = 0; i < bursts.length; i++) {
        BurstForecast.Need need = burstForecast.kernelsNeeded(ns.history().of(ranked.get(i).profile()), now.toEpochMilli());
        if (need != BurstForecast.NONE) {
          bursts[i] = need.kernels();
          underWay[i] = need.kernels() > 0 || need.underWay();
          replanBy = Optional.of(now.plus(burstForecast.replanEvery()));
        }
      }
    }
    TargetAllocator.Allocation allocation = allocator.allocate(ranked, f, poolCap, usageRoom, bursts);
    int[] targets = allocation.targets();

    // Creations must leave room for everything still charged: terminating members and members
    // this plan deletes stay charged until they are gone.
    Room room95 = usageRoom.copy();
    room95.take(usageRoom.project(terminating), 1);
    for (PoolMember m : deletedMembers) {
      room95.take(usageRoom.project(groups.get(m.profile()).footprint), 1);
    }
    Room roomCap = allocation.creationCap();

    // Surplus: lowest-ranked profile first, oldest member first.
    int[] keptCount = new int[ranked.size()];
    for (int i = ranked.size() - 1; i >= 0; i--) {
      List<PoolMember> members = kept.get(i);
      Reason reason =
          allocation.desired()[i] > targets[i] ? Reason.QUOTA_PRESSURE : Reason.OVER_TARGET;
      // While a burst is under way its kernels are not given back: launches that come later than
      // history's average still need them. Quota pressure still evicts.
      int surplus = underWay[i] && reason == Reason.OVER_TARGET ? 0 : members.size() - targets[i];
      for (int k = 0; k < surplus; k++) {
        PoolMember m = members.get(k);
        actions.add(new PlanAction.Delete(m.id(), m.profile(), reason));
      }
      keptCount[i] = members.size() - Math.max(0, surplus);
      // Kept and surplus members alike stay charged while this plan's creations start.
      room95.take(f[i], members.size());
      roomCap.take(f[i], keptCount[i]);
    }

    // Creations: highest-ranked first, within both rules.
    List<ProfileTarget> profileTargets = new ArrayList<>(ranked.size());
    for (int i = 0; i < ranked.size(); i++) {
      int missing = targets[i] - keptCount[i];
      if (missing > 0 && bursts[i] <= 0 && waitsForRefill(ns, ranked.get(i), now)) {
        missing = 0;
      }
      if (missing > 0) {
        int n = (int) Math.min(missing, Math.min(room95.copies(f[i]), roomCap.copies(f[i])));
        if (n > 0) {
          actions.add(new PlanAction.Create(ranked.get(i).profile(), n, Reason.BELOW_TARGET));
          room95.take(f[i], n);
          roomCap.take(f[i], n);
        }
      }
      RankedProfile r = ranked.get(i);
      profileTargets.add(
          new ProfileTarget(
              r.profile(),
              r.expectedLaunches(),
              allocation.desired()[i],
              targets[i],
              keptCount[i],
              footprint[i]));
    }

    if (eligibility == Eligibility.ELIGIBLE
        && TargetAllocator.sum(targets) == 0
        && TargetAllocator.sum(allocation.desired()) > 0) {
      eligibility = Eligibility.NO_HEADROOM;
    }
    return new NamespacePlan(ns.name(), eligibility, budget, profileTargets, actions, replanBy);
  }

  /** Whether a quiet profile launched moments ago waits before its kernels are created. */
  private boolean waitsForRefill(NamespaceState ns, RankedProfile r, Instant now) {
    QuietRefill quiet = policy.demand().quietRefill();
    if (quiet.delay().isZero()) {
      return false;
    }
    LaunchSeries s = ns.history().of(r.profile());
    return s.size() > 0 && quiet.waits(r.launchesPerHour(), s.epochMilliAt(s.size() - 1), now.toEpochMilli());
  }

  /**
   * The footprints of every charged member ({@code live} true) or of terminating members only.
   * Groups usually share one cached footprint, so counts are summed per distinct footprint first.
   */
  private static Resources sumOfFootprints(Map<PoolProfile, Group> groups, boolean live) {
    Resources[] distinct = new Resources[groups.size()];
    long[] counts = new long[groups.size()];
    int n = 0;
    for (Group g : groups.values()) {
      int count = g.terminating + (live ? g.live.size() : 0);
      if (count == 0) {
        continue;
      }
      int k = 0;
      while (k < n && distinct[k] != g.footprint) {
        k++;
      }
      if (k == n) {
        distinct[n++] = g.footprint;
      }
      counts[k] += count;
    }
    Resources sum = Resources.none();
    for (int k = 0; k < n; k++) {
      sum = sum.plus(distinct[k].times(counts[k]));
    }
    return sum;
  }

  private Resources footprintOf(PoolProfile p, Map<Resources, Resources> footprints) {
    Resources cached = footprints.get(p.resources());
    if (cached == null) {
      cached = policy.footprint().footprintOf(p);
      footprints.put(p.resources(), cached);
    }
    return cached;
  }

  private static Map<PoolProfile, Group> groupMembers(
      NamespaceState ns, Function<PoolProfile, Group> newGroup) {
    Map<PoolProfile, Group> groups = new HashMap<>();
    for (PoolMember m : ns.members()) {
      if (m.state().isPoolCharged()) {
        Group g = groups.computeIfAbsent(m.profile(), newGroup);
        if (m.state() == MemberState.TERMINATING) {
          g.terminating++;
        } else {
          g.addLive(m);
        }
      }
    }
    for (Group g : groups.values()) {
      if (g.live.size() > 1) {
        g.live.sort(EvictionOrder.SURPLUS_FIRST);
      }
    }
    return groups;
  }

  /** Adds deletions of expired members, fills each group's kept list, returns the expired. */
  private List<PoolMember> deleteExpired(
      Map<PoolProfile, Group> groups, Instant now, List<PlanAction> actions) {
    List<PoolMember> expired = new ArrayList<>();
    for (Group g : groups.values()) {
      if (g.live.isEmpty()) {
        continue;
      }
      g.live.removeIf(
          m -> {
            boolean isExpired = expiryCheck.check(m, now).isPresent();
            if (isExpired) {
              expired.add(m);
            }
            return isExpired;
          });
    }
    expired.sort(EvictionOrder.OLDEST_FIRST);
    for (PoolMember m : expired) {
      Expiry expiry = expiryCheck.check(m, now).orElseThrow();
      Reason reason = expiry == Expiry.TTL_EXPIRED ? Reason.TTL_EXPIRED : Reason.START_TIMEOUT;
      actions.add(new PlanAction.Delete(m.id(), m.profile(), reason));
    }
    return expired;
  }

  /**
   * Profiles launched within the eligibility window, profiles that have live members, and
   * declared profiles; each once.
   */
  private List<ProfileRanking.Candidate> candidates(
      NamespaceState ns, Map<PoolProfile, Group> groups, Instant now) {
    List<ProfileRanking.Candidate> candidates = new ArrayList<>(ns.history().series().size() + 2);
    long to = now.toEpochMilli();
    long from = to - policy.eligibility().launchWindow().toMillis();
    ns.history()
        .series()
        .forEach(
            (p, s) -> {
              if (s.anyMillis(from, to)) {
                candidates.add(new ProfileRanking.Candidate(p, s));
              }
            });
    groups.forEach(
        (p, g) -> {
          LaunchSeries s = ns.history().of(p);
          if (!g.live.isEmpty() && !s.anyMillis(from, to)) {
            candidates.add(new ProfileRanking.Candidate(p, s));
          }
        });
    for (PoolProfile p : ns.declaredProfiles()) {
      LaunchSeries s = ns.history().of(p);
      Group g = groups.get(p);
      boolean listed = s.anyMillis(from, to) || (g != null && !g.live.isEmpty());
      if (!listed) {
        candidates.add(new ProfileRanking.Candidate(p, s));
      }
    }
    return candidates;
  }

}
