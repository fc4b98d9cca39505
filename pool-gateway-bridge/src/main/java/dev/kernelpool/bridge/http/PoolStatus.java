package dev.kernelpool.bridge.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kernelpool.bridge.metrics.PoolMetrics;
import dev.kernelpool.bridge.pool.PoolKernel;
import dev.kernelpool.core.plan.NamespacePlan;
import dev.kernelpool.core.plan.Plan;
import dev.kernelpool.core.plan.ProfileTarget;
import dev.kernelpool.core.snapshot.MemberState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code /pools} document: per namespace and profile, warm/target, hits, misses, oldest member. */
public final class PoolStatus {
  private PoolStatus() {}

  public static ObjectNode of(Optional<Plan> plan, List<PoolKernel> kernels, PoolMetrics metrics, Instant now) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("planned_at", plan.map(p -> p.at().toString()).orElse(null));
    ArrayNode namespaces = root.putArray("namespaces");
    for (NamespacePlan ns : plan.map(Plan::namespaces).orElse(List.of())) {
      ObjectNode n = namespaces.addObject();
      n.put("namespace", ns.namespace());
      n.put("eligibility", ns.eligibility().name());
      ns.budget().ifPresent(b -> n.put("budget", b.keep().toString()));
      ArrayNode profiles = n.putArray("profiles");
      for (ProfileTarget t : ns.targets()) {
        ObjectNode p = profiles.addObject();
        p.put("kernelspec", t.profile().kernelspec());
        p.put("image", t.profile().image());
        p.put("profile", t.profile().hash());
        p.put("resources", t.profile().resources().toString());
        p.put("footprint", t.footprint().toString());
        p.put("expected_launches", t.expectedLaunches());
        p.put("desired", t.desired());
        p.put("target", t.target());
        long warm = 0;
        long starting = 0;
        Instant oldest = null;
        for (PoolKernel k : kernels) {
          if (k.profile().equals(t.profile())) {
            warm += k.state() == MemberState.WARM ? 1 : 0;
            starting += k.state() == MemberState.STARTING ? 1 : 0;
            if (k.state().isLive() && (oldest == null || k.createdAt().isBefore(oldest))) {
              oldest = k.createdAt();
            }
          }
        }
        p.put("warm", warm);
        p.put("starting", starting);
        p.put("hits", metrics.claims(ns.namespace(), t.profile().kernelspec(), "hit"));
        p.put("misses", metrics.claims(ns.namespace(), t.profile().kernelspec(), "miss"));
        p.put("oldest_age_seconds", oldest == null ? null : Duration.between(oldest, now).toSeconds());
      }
    }
    return root;
  }
}
