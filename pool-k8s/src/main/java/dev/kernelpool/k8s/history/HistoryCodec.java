package dev.kernelpool.k8s.history;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.kernelpool.core.snapshot.LaunchSeries;
import dev.kernelpool.core.snapshot.PoolProfile;
import dev.kernelpool.k8s.pods.ProfileCodec;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A namespace's launch history as the compact JSON its ConfigMap holds: when it was saved, and per
 * profile the launch times in whole seconds, the first absolute and the rest as differences. Two
 * weeks of one launch a minute per profile stay under 150 KB, far below a ConfigMap's 1 MiB.
 */
public final class HistoryCodec {
  private static final Gson GSON = new Gson();

  private HistoryCodec() {}

  /** What a ConfigMap held: the launches and the moment they were saved. */
  public record Saved(Instant savedAt, Map<PoolProfile, LaunchSeries> launches) {}

  public static String encode(Instant savedAt, Map<PoolProfile, LaunchSeries> launches) {
    JsonObject root = new JsonObject();
    root.addProperty("version", 1);
    root.addProperty("savedAt", savedAt.getEpochSecond());
    JsonArray profiles = new JsonArray();
    launches.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(PoolProfile::canonical)))
        .forEach(e -> {
          JsonObject p = new JsonObject();
          p.add("profile", GSON.fromJson(ProfileCodec.toJson(e.getKey()), JsonObject.class));
          JsonArray times = new JsonArray();
          long previous = 0;
          for (int i = 0; i < e.getValue().size(); i++) {
            long s = e.getValue().epochMilliAt(i) / 1000;
            times.add(s - previous);
            previous = s;
          }
          p.add("launches", times);
          profiles.add(p);
        });
    root.add("profiles", profiles);
    return GSON.toJson(root);
  }

  /** Throws IllegalArgumentException, naming what is wrong, for anything {@link #encode} did not write. */
  public static Saved decode(String json) {
    try {
      JsonObject root = GSON.fromJson(json, JsonObject.class);
      if (root == null || !root.has("version") || root.get("version").getAsInt() != 1) {
        throw new IllegalArgumentException("unknown history format (expected version 1)");
      }
      Map<PoolProfile, LaunchSeries> launches = new HashMap<>();
      for (JsonElement el : root.getAsJsonArray("profiles")) {
        JsonObject p = el.getAsJsonObject();
        PoolProfile profile = ProfileCodec.fromJson(GSON.toJson(p.get("profile")));
        JsonArray deltas = p.getAsJsonArray("launches");
        long[] millis = new long[deltas.size()];
        long t = 0;
        for (int i = 0; i < millis.length; i++) {
          long d = deltas.get(i).getAsLong();
          if (i > 0 && d < 0) {
            throw new IllegalArgumentException("launch times of " + profile.kernelspec() + " are not in order");
          }
          t += d;
          millis[i] = t * 1000;
        }
        launches.put(profile, LaunchSeries.ofEpochMillis(millis));
      }
      return new Saved(Instant.ofEpochSecond(root.get("savedAt").getAsLong()), launches);
    } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException | ClassCastException e) {
      throw new IllegalArgumentException("malformed history: " + e.getMessage(), e);
    }
  }
}
