package dev.kernelpool.k8s.testing;

/**
 * One request the API server saw.
 *
 * @param verb get, list, watch, create, update, patch or delete
 * @param resource the resource's plural, with its subresource as {@code pods/resize}
 */
public record ApiRequest(String method, String verb, String resource, String namespace, String name, String path) {
  public boolean isWatch() {
    return verb.equals("watch");
  }

  /** Reads and writes other than watches: what a steady-state controller should not need. */
  public boolean isNonWatch() {
    return !isWatch();
  }
}
