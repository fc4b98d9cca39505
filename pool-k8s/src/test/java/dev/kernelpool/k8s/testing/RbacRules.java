package dev.kernelpool.k8s.testing;

import io.kubernetes.client.openapi.models.V1ClusterRole;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.util.Yaml;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The grants of an RBAC manifest (its ClusterRoles cluster-wide, its Roles in one namespace), one
 * per verb and resource, and which of them a set of {@link ApiCall}s used: the audit that proves a
 * manifest is exactly what the code needs. Resource names and wildcards are not modelled (the
 * shipped manifest uses neither; a wildcard is reported as unsupported).
 */
public final class RbacRules {
  /** One verb on one resource of one group, cluster-wide ({@code namespace} empty) or in a namespace. */
  public record Grant(String namespace, String group, String resource, String verb) implements Comparable<Grant> {
    boolean allows(ApiCall call) {
      return group.equals(call.group()) && resource.equals(call.resource()) && verb.equals(call.verb())
          && (namespace.isEmpty() || namespace.equals(call.namespace()));
    }

    @Override
    public int compareTo(Grant o) {
      return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
      return verb + " " + (group.isEmpty() ? "" : group + "/") + resource + (namespace.isEmpty() ? " (cluster)" : " in " + namespace);
    }
  }

  private final List<Grant> grants;

  private RbacRules(List<Grant> grants) {
    this.grants = List.copyOf(grants);
  }

  /** The grants of {@code manifest}, its Roles placed in {@code roleNamespace} (as the manifest says to adapt them). */
  public static RbacRules load(File manifest, String roleNamespace) throws IOException {
    List<Grant> grants = new ArrayList<>();
    for (Object o : Yaml.loadAll(manifest)) {
      if (o instanceof V1ClusterRole r) {
        add(grants, "", r.getRules());
      } else if (o instanceof V1Role r) {
        add(grants, roleNamespace, r.getRules());
      }
    }
    return new RbacRules(grants);
  }

  private static void add(List<Grant> out, String namespace, List<V1PolicyRule> rules) {
    for (V1PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            if (group.equals("*") || resource.equals("*") || verb.equals("*")) {
              throw new IllegalArgumentException("wildcard grant: " + verb + " " + group + "/" + resource);
            }
            out.add(new Grant(namespace, group, resource, verb));
          }
        }
      }
    }
  }

  public List<Grant> grants() {
    return grants;
  }

  /** Calls no grant allows. */
  public List<ApiCall> denied(Collection<ApiCall> calls) {
    return calls.stream().filter(c -> grants.stream().noneMatch(g -> g.allows(c))).distinct().toList();
  }

  /** Grants no call used. */
  public Set<Grant> unused(Collection<ApiCall> calls) {
    Set<Grant> out = new TreeSet<>();
    for (Grant g : grants) {
      if (calls.stream().noneMatch(g::allows)) {
        out.add(g);
      }
    }
    return out;
  }
}
