package dev.kernelpool.k8s.pods;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/** A profile as the compact JSON a pool pod's annotation and the history ConfigMap carry. */
public final class ProfileCodec {
  private static final Gson GSON = new Gson();

  private ProfileCodec() {}

  public static String toJson(PoolProfile p) {
    return GSON.toJson(toTree(p));
  }

  static JsonObject toTree(PoolProfile p) {
    JsonObject o = new JsonObject();
    o.addProperty("namespace", p.namespace());
    o.addProperty("kernelspec", p.kernelspec());
    o.addProperty("image", p.image());
    p.uid().ifPresent(v -> o.addProperty("uid", v));
    p.gid().ifPresent(v -> o.addProperty("gid", v));
    JsonObject r = new JsonObject();
    p.resources().toQuantities().forEach(r::addProperty);
    o.add("resources", r);
    JsonArray v = new JsonArray();
    p.volumes().forEach(v::add);
    o.add("volumes", v);
    o.addProperty("serviceAccount", p.serviceAccount());
    return o;
  }

  /** Parses what {@link #toJson} wrote; throws IllegalArgumentException on anything else. */
  public static PoolProfile fromJson(String json) {
    try {
      return fromTree(GSON.fromJson(json, JsonObject.class));
    } catch (JsonParseException | ClassCastException | NullPointerException | UnsupportedOperationException e) {
      throw new IllegalArgumentException("not a pool profile: " + e.getMessage(), e);
    }
  }

  static PoolProfile fromTree(JsonObject o) {
    Map<String, String> resources = new TreeMap<>();
    o.getAsJsonObject("resources").entrySet().forEach(e -> resources.put(e.getKey(), e.getValue().getAsString()));
    List<String> volumes = new ArrayList<>();
    if (o.has("volumes")) {
      o.getAsJsonArray("volumes").forEach(e -> volumes.add(e.getAsString()));
    }
    return new PoolProfile(
        o.get("namespace").getAsString(),
        o.get("kernelspec").getAsString(),
        o.get("image").getAsString(),
        o.has("uid") ? OptionalLong.of(o.get("uid").getAsLong()) : OptionalLong.empty(),
        o.has("gid") ? OptionalLong.of(o.get("gid").getAsLong()) : OptionalLong.empty(),
        Resources.parse(resources),
        volumes,
        o.has("serviceAccount") ? o.get("serviceAccount").getAsString() : "");
  }
}
