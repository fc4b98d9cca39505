package dev.kernelpool.core.sim;

import dev.kernelpool.core.plan.PlanAction;
import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.sim.policy.SimPolicy;
import dev.kernelpool.core.sim.trace.Launch;
import dev.kernelpool.core.sim.trace.QuotaChange;
import dev.kernelpool.core.snapshot.KernelspecPopularity;
import dev.kernelpool.core.snapshot.LaunchHistory;
import dev.kernelpool.core.snapshot.LaunchSeries;
import dev.kernelpool.core.snapshot.LaunchShape;
import dev.kernelpool.core.snapshot.MemberState;
import dev.kernelpool.core.snapshot.NamespaceState;
import dev.kernelpool.core.snapshot.PoolMember;
import dev.kernelpool.core.snapshot.PoolProfile;
import dev.kernelpool.core.snapshot.Quota;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.DoubleConsumer;

/**
 * Replays a trace against one policy on a virtual clock. A launch takes a warm pool kernel of its
 * exact profile if there is one (a hit, which costs the claim time), else it starts cold (a drawn
 * start time). Pool kernels take a drawn start time to become warm and are charged their footprint
 * from creation; a claimed one is charged its full request. Deletions are instant. A reactive policy
 * plans after every launch (a claim is what changes its plan; a session's end only frees quota,
 * which its timer picks up). One instance runs once.
 */
public final class Simulation {
  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;
  private static final int END = 0;
  private static final int READY = 1;
  private static final int TICK = 2;
  private static final int SCHEDULED = 3;
  private static final int REPLAN = 4;
  private static final int QUOTA = 5;
  private static final String[] QUOTA_NAMES = {"cpu", "memory", "pods"};

  private final List<Launch> trace;
  private final SimSettings settings;
  private final SimPolicy policy;
  private final SplittableRandom random;
  private final TreeMap<String, Ns> namespaces = new TreeMap<>();
  private final Map<PoolProfile, Resources> footprints = new HashMap<>();
  private final PriorityQueue<Event> events = new PriorityQueue<>();
  private long seq;
  private long now;
  /** Launches before this only build history; idle time counts from here. */
  private long measureFrom;
  private long measured;
  private long hits;
  private long created;
  private long violations;
  private long live;
  private double idleKernelMs;
  private double idleCpuMilliMs;
  private double idleMemoryMilliMs;
  private double peakQuotaUse;
  /** Launches per kernelspec across the cluster so far, and the view planners see, rebuilt at most once a simulated minute. */
  private final Map<String, Long> kernelspecLaunches = new TreeMap<>();
  private KernelspecPopularity popularity = KernelspecPopularity.NONE;
  /** Launches per quarter hour of each day since the trace's first (the cluster's time-of-day shape). */
  private final Map<Long, long[]> launchesByDaySlot = new HashMap<>();
  private long firstShapeDay = Long.MIN_VALUE;
  private long popularityDueAt = Long.MIN_VALUE;
  private final List<Integer> hourlyLaunches = new ArrayList<>();
  private final List<Integer> hourlyPool = new ArrayList<>();

  private record Event(long time, long seq, int type, Object subject) implements Comparable<Event> {
    @Override
    public int compareTo(Event o) {
      int c = Long.compare(time, o.time);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private static final class Member {
    final String id;
    final PoolProfile profile;
    final long cpu;
    final long memory;
    final long pods;
    final long createdAt;
    boolean ready;
    PoolMember view;

    Member(String id, PoolProfile profile, Resources footprint, long createdAt) {
      this.id = id;
      this.profile = profile;
      this.cpu = footprint.milli("cpu");
      this.memory = footprint.milli("memory");
      this.pods = footprint.milli("pods");
      this.createdAt = createdAt;
      this.view = new PoolMember(id, profile, MemberState.STARTING, Instant.ofEpochMilli(createdAt));
    }
  }

  private static final class Ns {
    final String name;
    Optional<Resources> hard;
    final long[] ceiling = new long[3];
    final long[] limit = new long[3];
    long userCpu;
    long userMemory;
    long userPods;
    long poolCpu;
    long poolMemory;
    long poolPods;
    /** Pool kernels starting now, and whether a creation was held back by maxStarting since the last plan. */
    int starting;
    boolean throttled;
    /** When a plan asked to be planned again at the latest (a REPLAN event is queued for it), or MAX_VALUE. */
    long replanAt = Long.MAX_VALUE;
    final Map<String, Member> members = new LinkedHashMap<>();
    final Map<PoolProfile, ArrayDeque<Member>> warm = new HashMap<>();
    final Map<PoolProfile, long[]> launchTimes = new LinkedHashMap<>();
    final Map<PoolProfile, Integer> launchCounts = new HashMap<>();
    /** Every profile the trace launches here: what an operator would declare (the static policy's kernelspecs). */
    final List<PoolProfile> profiles = new ArrayList<>();
    /** Rebuilt only after a launch: views over the launch arrays stay valid until then. */
    LaunchHistory history;
    /** Rebuilt only after the members changed. */
    List<PoolMember> memberViews;

    Ns(String name, Optional<Resources> hard) {
      this.name = name;
      setHard(hard);
    }

    void setHard(Optional<Resources> hard) {
      this.hard = hard;
      for (int i = 0; i < 3; i++) {
        long h = hard.isPresent() && hard.get().has(QUOTA_NAMES[i]) ? hard.get().milli(QUOTA_NAMES[i]) : Long.MAX_VALUE;
        limit[i] = h;
        ceiling[i] = h == Long.MAX_VALUE ? h : h / 100 * 95 + h % 100 * 95 / 100;
      }
    }
  }

  public Simulation(List<Launch> trace, Map<String, Resources> quotas, SimSettings settings, SimPolicy policy) {
    this(trace, quotas, List.of(), settings, policy);
  }

  /** A run in which quotas change at the given times: the policy sees the new quota from then on. */
  public Simulation(List<Launch> trace, Map<String, Resources> quotas, List<QuotaChange> quotaChanges, SimSettings settings, SimPolicy policy) {
    this.quotaChanges = List.copyOf(quotaChanges);
    this.trace = trace;
    this.settings = settings;
    this.policy = policy;
    this.random = new SplittableRandom(settings.seed());
    Map<PoolProfile, PoolProfile> interned = new HashMap<>();
    for (Launch l : trace) {
      Ns ns = namespaces.computeIfAbsent(l.namespace(), n -> new Ns(n, Optional.ofNullable(quotas.get(n))));
      PoolProfile p = interned.computeIfAbsent(l.profile(), k -> k);
      if (!ns.launchTimes.containsKey(p)) {
        ns.launchTimes.put(p, new long[16]);
        ns.launchCounts.put(p, 0);
        ns.profiles.add(p);
      }
    }
    this.profilesByLaunch = new PoolProfile[trace.size()];
    for (int i = 0; i < trace.size(); i++) {
      profilesByLaunch[i] = interned.get(trace.get(i).profile());
    }
  }

  private final PoolProfile[] profilesByLaunch;
  private final List<QuotaChange> quotaChanges;

  /** Runs the trace; {@code progress} is told the share done (0..1) now and then. */
  public SimResult run(DoubleConsumer progress) {
    if (trace.isEmpty()) {
      return result(new double[0]);
    }
    long start = trace.get(0).timestampMs();
    long end = trace.get(trace.size() - 1).timestampMs();
    measureFrom = start + settings.warmup().toMillis();
    policy.tick().ifPresent(t -> push(start, TICK, null));
    for (QuotaChange c : quotaChanges) {
      if (namespaces.containsKey(c.namespace())) {
        push(c.timestampMs(), QUOTA, c);
      }
    }
    for (SimPolicy.ScheduledCreate c : policy.schedule(trace, settings)) {
      push(Math.max(start - settings.coldStart().plus(settings.coldStartSpread()).toMillis(), c.atMillis()), SCHEDULED, c.profile());
    }
    double[] waits = new double[trace.size()];
    long nextHour = start;
    int launchesThisHour = 0;
    for (int i = 0; i < trace.size(); i++) {
      Launch l = trace.get(i);
      while (!events.isEmpty() && events.peek().time() <= l.timestampMs()) {
        handle(events.poll(), end);
      }
      now = l.timestampMs();
      while (now >= nextHour) {
        hourlyLaunches.add(launchesThisHour);
        hourlyPool.add((int) live);
        launchesThisHour = 0;
        nextHour += HOUR;
      }
      launchesThisHour++;
      double wait = launch(l, profilesByLaunch[i]);
      if (now >= measureFrom) {
        waits[(int) measured++] = wait;
      }
      if ((i & 0xFFFF) == 0) {
        progress.accept((double) i / trace.size());
      }
    }
    hourlyLaunches.add(launchesThisHour);
    hourlyPool.add((int) live);
    while (!events.isEmpty() && events.peek().type() == END) {
      handle(events.poll(), end);
    }
    // What is still in the pool at the end of the trace cost its time until then.
    for (Ns ns : namespaces.values()) {
      for (Member m : ns.members.values()) {
        idle(m, Math.max(m.createdAt, now));
      }
    }
    progress.accept(1.0);
    return result(Arrays.copyOf(waits, (int) measured));
  }

  private void push(long time, int type, Object subject) {
    events.add(new Event(time, seq++, type, subject));
  }

  private double launch(Launch l, PoolProfile profile) {
    Ns ns = namespaces.get(l.namespace());
    record(ns, profile);
    kernelspecLaunches.merge(l.kernelspec(), 1L, Long::sum);
    long day = Math.floorDiv(now, DAY) * DAY;
    if (firstShapeDay == Long.MIN_VALUE) {
      firstShapeDay = LaunchShape.firstCompleteDay(now);
    }
    launchesByDaySlot.computeIfAbsent(day, d -> new long[LaunchShape.SLOTS])[(int) ((now - day) / LaunchShape.SLOT_MILLIS)]++;
    ArrayDeque<Member> ready = ns.warm.get(profile);
    double wait;
    if (ready != null && !ready.isEmpty()) {
      Member m = ready.pollFirst();
      remove(ns, m);
      if (now >= measureFrom) {
        hits++;
      }
      wait = settings.claimTime().toMillis() / 1000.0;
    } else {
      wait = drawStart() / 1000.0;
    }
    ns.userCpu += l.cpuMilli();
    ns.userMemory += l.memoryMilli();
    ns.userPods += 1000;
    peak(ns);
    push(now + (long) (wait * 1000) + l.durationSeconds() * 1000, END, l);
    if (policy.reactive()) {
      decide(ns);
    }
    return wait;
  }

  private void record(Ns ns, PoolProfile p) {
    long[] times = ns.launchTimes.get(p);
    int n = ns.launchCounts.get(p);
    if (n == times.length) {
      times = Arrays.copyOf(times, n * 2);
      ns.launchTimes.put(p, times);
    }
    times[n] = now;
    ns.launchCounts.put(p, n + 1);
    ns.history = null;
  }

  private void handle(Event e, long end) {
    now = e.time();
    switch (e.type()) {
      case END -> {
        Launch l = (Launch) e.subject();
        Ns ns = namespaces.get(l.namespace());
        ns.userCpu -= l.cpuMilli();
        ns.userMemory -= l.memoryMilli();
        ns.userPods -= 1000;
      }
      case READY -> {
        Member m = (Member) e.subject();
        Ns ns = namespaces.get(m.profile.namespace());
        if (ns.members.get(m.id) == m) {
          m.view = m.view.withState(MemberState.WARM);
          m.ready = true;
          ns.starting--;
          ns.memberViews = null;
          ns.warm.computeIfAbsent(m.profile, k -> new ArrayDeque<>()).addLast(m);
          if (ns.throttled) {
            // A start finished where creations were held back: the controller plans again.
            ns.throttled = false;
            decide(ns);
          }
        }
      }
      case TICK -> {
        // Plans are pure, so every namespace is planned at once (in parallel where the policy can);
        // they are applied one after the other in namespace order, as start times are drawn.
        List<Ns> all = new ArrayList<>(namespaces.values());
        List<NamespaceState> states = new ArrayList<>(all.size());
        for (Ns ns : all) {
          states.add(state(ns));
        }
        List<SimPolicy.Decision> decisions = policy.planAll(states, Instant.ofEpochMilli(now));
        for (int i = 0; i < all.size(); i++) {
          apply(all.get(i), decisions.get(i));
        }
        long next = now + policy.tick().orElseThrow().toMillis();
        if (next <= end) {
          push(next, TICK, null);
        }
      }
      case QUOTA -> {
        QuotaChange c = (QuotaChange) e.subject();
        namespaces.get(c.namespace()).setHard(Optional.of(c.hard()));
      }
      case REPLAN -> {
        Ns ns = (Ns) e.subject();
        if (ns.replanAt == now) {
          ns.replanAt = Long.MAX_VALUE;
          decide(ns);
        }
      }
      case SCHEDULED -> create(namespaces.get(((PoolProfile) e.subject()).namespace()), (PoolProfile) e.subject(), false);
      default -> throw new IllegalStateException("unknown event type " + e.type());
    }
  }

  private void decide(Ns ns) {
    apply(ns, policy.plan(state(ns), Instant.ofEpochMilli(now)));
  }

  private void apply(Ns ns, SimPolicy.Decision decision) {
    apply(ns, decision.actions());
    if (decision.replanBy().isPresent()) {
      long at = Math.max(now + 1, decision.replanBy().get().toEpochMilli());
      if (at < ns.replanAt) {
        ns.replanAt = at;
        push(at, REPLAN, ns);
      }
    }
  }

  /** What a planner sees of {@code ns} now. */
  private NamespaceState state(Ns ns) {
    if (ns.memberViews == null) {
      List<PoolMember> members = new ArrayList<>(ns.members.size());
      for (Member m : ns.members.values()) {
        members.add(m.view);
      }
      ns.memberViews = List.copyOf(members);
    }
    if (ns.history == null) {
      Map<PoolProfile, LaunchSeries> history = new HashMap<>();
      ns.launchTimes.forEach((p, times) -> history.put(p, LaunchSeries.viewOfSortedPrefix(times, ns.launchCounts.get(p))));
      ns.history = new LaunchHistory(history);
    }
    Optional<Quota> quota = ns.hard.map(h -> new Quota(h, Resources.ofSortedMilli(QUOTA_NAMES,
        new long[] {ns.userCpu + ns.poolCpu, ns.userMemory + ns.poolMemory, ns.userPods + ns.poolPods})));
    if (now >= popularityDueAt) {
      popularity = new KernelspecPopularity(kernelspecLaunches, shape());
      popularityDueAt = now + 60_000;
    }
    return new NamespaceState(ns.name, Map.of(), quota, ns.memberViews, ns.history, ns.profiles, popularity);
  }

  /** The cluster's launches by time of day over the complete days of the last week. */
  private LaunchShape shape() {
    long today = Math.floorDiv(now, DAY) * DAY;
    return LaunchShape.ofDays(launchesByDaySlot::get, Math.max(firstShapeDay, today - 7 * DAY), today);
  }

  private void apply(Ns ns, List<PlanAction> actions) {
    for (PlanAction a : actions) {
      if (a instanceof PlanAction.Create c) {
        for (int k = 0; k < c.count(); k++) {
          if (!create(ns, c.profile(), true)) {
            break;
          }
        }
      } else if (a instanceof PlanAction.Delete d) {
        Member m = ns.members.get(d.memberId());
        if (m != null) {
          ArrayDeque<Member> ready = ns.warm.get(m.profile);
          if (ready != null) {
            ready.remove(m);
          }
          remove(ns, m);
        }
      }
    }
  }

  /** Creates a pool kernel unless {@code limited} and maxStarting are starting already; whether it did. */
  private boolean create(Ns ns, PoolProfile profile, boolean limited) {
    if (limited && ns.starting >= settings.maxStarting()) {
      ns.throttled = true;
      return false;
    }
    Resources footprint = footprints.computeIfAbsent(profile, policy::footprint);
    Member m = new Member("m" + created++, profile, footprint, now);
    long[] need = {m.cpu, m.memory, m.pods};
    long[] after = {ns.userCpu + ns.poolCpu + m.cpu, ns.userMemory + ns.poolMemory + m.memory, ns.userPods + ns.poolPods + m.pods};
    for (int i = 0; i < 3; i++) {
      if (need[i] > 0 && after[i] > ns.ceiling[i]) {
        violations++;
        break;
      }
    }
    ns.poolCpu += m.cpu;
    ns.poolMemory += m.memory;
    ns.poolPods += m.pods;
    ns.members.put(m.id, m);
    ns.memberViews = null;
    live++;
    ns.starting++;
    peak(ns);
    push(now + drawStart(), READY, m);
    return true;
  }

  private void remove(Ns ns, Member m) {
    ns.members.remove(m.id);
    ns.memberViews = null;
    ns.poolCpu -= m.cpu;
    ns.poolMemory -= m.memory;
    ns.poolPods -= m.pods;
    live--;
    if (!m.ready) {
      ns.starting--;
    }
    idle(m, now);
  }

  private void idle(Member m, long until) {
    long ms = until - Math.max(m.createdAt, measureFrom);
    if (ms <= 0) {
      return;
    }
    idleKernelMs += ms;
    idleCpuMilliMs += (double) m.cpu * ms;
    idleMemoryMilliMs += (double) m.memory * ms;
  }

  private void peak(Ns ns) {
    long[] used = {ns.userCpu + ns.poolCpu, ns.userMemory + ns.poolMemory, ns.userPods + ns.poolPods};
    for (int i = 0; i < 3; i++) {
      if (ns.limit[i] != Long.MAX_VALUE && ns.limit[i] > 0) {
        peakQuotaUse = Math.max(peakQuotaUse, (double) used[i] / ns.limit[i]);
      }
    }
  }

  private long drawStart() {
    long mean = settings.coldStart().toMillis();
    long spread = settings.coldStartSpread().toMillis();
    return spread == 0 ? mean : mean - spread + random.nextLong(2 * spread + 1);
  }

  private SimResult result(double[] waits) {
    double[] sorted = waits.clone();
    Arrays.sort(sorted);
    return new SimResult(
        policy.name(),
        waits.length,
        hits,
        percentile(sorted, 0.50),
        percentile(sorted, 0.95),
        percentile(sorted, 0.99),
        idleKernelMs / HOUR,
        idleCpuMilliMs / 1000 / HOUR,
        idleMemoryMilliMs / 1000 / (1024.0 * 1024 * 1024) / HOUR,
        peakQuotaUse,
        violations,
        created,
        hourlyLaunches,
        hourlyPool);
  }

  private static double percentile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
