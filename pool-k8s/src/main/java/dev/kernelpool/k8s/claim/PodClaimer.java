package dev.kernelpool.k8s.claim;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.kernelpool.k8s.pods.PodTemplate;
import dev.kernelpool.k8s.pods.PoolLabels;
import dev.kernelpool.k8s.pods.PoolPods;
import dev.kernelpool.core.snapshot.PoolProfile;
import io.kubernetes.client.openapi.ApiException;
import java.time.Clock;
import java.util.Map;

/**
 * Claims pool pods exactly once across every sidecar replica: one JSON merge patch of the pod that
 * carries the resourceVersion it was seen warm at, setting EG's {@code kernel_id} and {@code
 * component=kernel} and the claim's labels and annotations. The API server applies it only if the
 * pod is unchanged since; a 409 means another replica (or an eviction) got there first. Then, where
 * the profile asks for more than the pod's small initial requests, it resizes the pod in place.
 */
public final class PodClaimer {
  private static final Gson GSON = new Gson();

  /** What a claim came to. */
  public enum Result {
    /** The pod is this claim's. */
    WON,
    /** Another replica claimed it, or it was deleted or changed: try the next pod. */
    LOST
  }

  /** What a resize came to, as the claim result reports it. */
  public enum Resize {
    NOT_NEEDED, RESIZED, REFUSED_BY_QUOTA, UNSUPPORTED, FAILED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final PoolPods pods;
  private final String replica;
  private final Clock clock;

  public PodClaimer(PoolPods pods, String replica, Clock clock) {
    this.pods = pods;
    this.replica = replica;
    this.clock = clock;
  }

  /**
   * Claims {@code pod} at {@code resourceVersion} for EG kernel {@code kernelId}. Throws the
   * ApiException of any other failure (the API is down, a timeout): the claim falls back.
   */
  public Result claim(String namespace, String pod, String resourceVersion, String kernelId, Map<String, String> annotations)
      throws ApiException {
    JsonObject labels = new JsonObject();
    labels.addProperty(PoolLabels.STATE, PoolLabels.STATE_CLAIMED);
    labels.addProperty(PoolLabels.COMPONENT, PoolLabels.COMPONENT_KERNEL);
    labels.addProperty(PoolLabels.KERNEL_ID, kernelId);
    JsonObject notes = new JsonObject();
    annotations.forEach(notes::addProperty);
    notes.addProperty(PoolLabels.CLAIMED_BY, replica);
    notes.addProperty(PoolLabels.CLAIMED_AT, clock.instant().toString());
    JsonObject meta = new JsonObject();
    meta.addProperty("resourceVersion", resourceVersion);
    meta.add("labels", labels);
    meta.add("annotations", notes);
    JsonObject patch = new JsonObject();
    patch.add("metadata", meta);
    try {
      pods.patch(namespace, pod, GSON.toJson(patch));
      return Result.WON;
    } catch (ApiException e) {
      if (e.getCode() == 409 || e.getCode() == 404) {
        return Result.LOST;
      }
      throw e;
    }
  }

  /**
   * Resizes a claimed pod to its profile's full requests, unless its initial requests already are
   * the profile's. Never throws: the outcome says what happened.
   */
  public Resize resize(String namespace, String pod, PoolProfile profile, boolean needed) {
    if (!needed) {
      return Resize.NOT_NEEDED;
    }
    JsonObject container = new JsonObject();
    container.addProperty("name", "kernel");
    container.add("resources", GSON.fromJson(
        io.kubernetes.client.openapi.JSON.serialize(PodTemplate.fullResources(profile)), JsonObject.class));
    com.google.gson.JsonArray containers = new com.google.gson.JsonArray();
    containers.add(container);
    JsonObject spec = new JsonObject();
    spec.add("containers", containers);
    JsonObject patch = new JsonObject();
    patch.add("spec", spec);
    try {
      pods.patchResize(namespace, pod, GSON.toJson(patch));
      return Resize.RESIZED;
    } catch (ApiException e) {
      return switch (e.getCode()) {
        case 403 -> Resize.REFUSED_BY_QUOTA;
        case 404, 405, 415 -> Resize.UNSUPPORTED;
        default -> Resize.FAILED;
      };
    }
  }
}
