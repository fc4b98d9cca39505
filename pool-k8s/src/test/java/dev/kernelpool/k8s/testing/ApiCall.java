package dev.kernelpool.k8s.testing;

import java.util.List;

/**
 * One Kubernetes API request as RBAC sees it: the verb ({@code get, list, watch, create, update,
 * patch, delete, deletecollection}), the API group ({@code ""} for core), the resource with its
 * subresource ({@code pods/resize}), the namespace ({@code ""} when cluster-wide), the answer's
 * HTTP status, and whether authorization refused it (a 403 that says the user "cannot" do it, as
 * RBAC words it; admission's 403s, such as a terminating namespace or an exceeded quota, are not).
 */
public record ApiCall(String verb, String group, String resource, String namespace, int status, boolean unauthorized) {

  /** Reads a request the way the API server's request-info resolver does. */
  public static ApiCall of(String method, String path, String query, int status, String body) {
    List<String> parts = List.of(path.replaceAll("^/+|/+$", "").split("/"));
    String group;
    int at;
    if (parts.get(0).equals("api")) {
      group = "";
      at = 2;
    } else if (parts.get(0).equals("apis")) {
      group = parts.get(1);
      at = 3;
    } else {
      throw new IllegalArgumentException("not a resource path: " + path);
    }
    List<String> rest = parts.subList(at, parts.size());
    String namespace = "";
    if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    String resource = rest.get(0);
    boolean named = rest.size() >= 2;
    if (rest.size() >= 3) {
      resource = resource + "/" + rest.get(2);
    }
    boolean watch = query != null && List.of(query.split("&")).contains("watch=true");
    String verb = switch (method) {
      case "GET" -> watch ? "watch" : named ? "get" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> named ? "delete" : "deletecollection";
      default -> method.toLowerCase(java.util.Locale.ROOT);
    };
    return new ApiCall(verb, group, resource, namespace, status, status == 403 && body.contains(" cannot "));
  }
}
