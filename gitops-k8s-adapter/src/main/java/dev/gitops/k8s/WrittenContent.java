package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Observed;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The desired content this target last wrote of each object, as a hash, so that a field owned as
 * a leaf under server-side apply and absent from the object ({@link ServerDrops#UNLESS_ZERO}) counts
 * as dropped by the server once this target wrote that very content and the field still did not
 * appear: a zero value Go's encoder leaves out cannot explain it then, since Git's value now is not
 * zero (else the diff hides it as a zero value) and was written as it is. Before such a write (a
 * restarted agent, each run of the command line) the field is planned once more, as it was before
 * the server's drops were recognised. Once counted so, such a field stays counted while Git's value
 * there is the one written (a hash per field), so that a later change of Git elsewhere in the object
 * does not plan it again. Hashes, not trees (as {@link AdmissionKept} keeps them): two values of one
 * hash can only hide a change Git made back and forth. Thread-safe; not public API.
 */
final class WrittenContent {
  /** At most this many objects are remembered; emptied when full (a bound, not a cache policy). */
  static final int MAX = 10_000;

  private final Map<ResourceId, Integer> written = new ConcurrentHashMap<>();
  /** Per object, the fields counted as dropped after such a write, with the hash of Git's value there. */
  private final Map<ResourceId, Map<String, Integer>> dropped = new ConcurrentHashMap<>();
  /**
   * Per object, the fields its last write sent that the server's decoder dropped ({@link DecodedDrops}),
   * with the hash of Git's value there: counted as dropped while Git's value is that one.
   */
  private final Map<ResourceId, Map<ServerDrops.Dropped, Integer>> decoded = new ConcurrentHashMap<>();

  /**
   * After this target wrote desired content of hash {@code hash} ({@link JsonNode#hashCode}, taken
   * once per write and shared with {@link AdmissionKept#written}) to object {@code id}.
   */
  void written(ResourceId id, int hash) {
    if (written.size() >= MAX || dropped.size() >= MAX || decoded.size() >= MAX) {
      written.clear();
      dropped.clear();
      decoded.clear();
    }
    written.put(id, hash);
  }

  /**
   * After this target wrote {@code desired} to object {@code id}: {@code fields} the write sent that
   * its {@code answer} lacked ({@link DecodedDrops}), beside those found before that the answer still
   * lacks where Git's value is unchanged (a write that did not send them, a Git change elsewhere,
   * leaves them counted); before any such write of this target, those the object keeps
   * ({@link DecodedDrops#remembered}). Returns what is counted now.
   */
  Map<ServerDrops.Dropped, Integer> decoded(ResourceId id, JsonNode desired, List<ServerDrops.Dropped> fields,
                                            JsonNode answer) {
    Map<ServerDrops.Dropped, Integer> values = new ConcurrentHashMap<>();
    Map<ServerDrops.Dropped, Integer> before = decoded.get(id);
    (before != null ? before : DecodedDrops.remembered(answer)).forEach((f, h) -> {
      if (f.in(answer) == null && h == hash(f.in(desired))) {
        values.put(f, h);
      }
    });
    fields.forEach(f -> values.put(f, hash(f.in(desired))));
    decoded.put(id, values.isEmpty() ? Map.of() : values); // empty too: what the object keeps is stale then
    return values;
  }

  /** True when this target last wrote {@code r}'s content, as it is, to its object. */
  boolean wroteSame(Resource r) {
    return r.content() instanceof Content.Tree tree && Integer.valueOf(tree.node().hashCode()).equals(written.get(r.id()));
  }

  /**
   * {@code actual} with the {@link ServerDrops#UNLESS_ZERO} marks of objects this target last wrote
   * as {@code desired} holds them made {@link ServerDrops#DROPPED}, and those of fields counted so
   * before where Git's value is still the one written; {@code actual} itself when none. Each field
   * the decoder dropped that is counted so (found by this target's write or kept on the object) is
   * told to {@code decodedDrop}, so that the user hears of it after a restart too.
   */
  ActualState settle(DesiredState desired, ActualState actual,
                     java.util.function.BiConsumer<Resource, ServerDrops.Dropped> decodedDrop) {
    Map<ResourceId, Observed> settled = null;
    for (Resource want : desired.resources()) {
      Observed have = actual.get(want.id());
      if (have == null || !(have.lastApplied() instanceof Content.Tree applied)
          || !(want.content() instanceof Content.Tree tree)) {
        continue;
      }
      JsonNode record = decodedMarked(want, tree.node(), have, applied.node(), decodedDrop);
      boolean uncertain = ServerDrops.uncertain(record);
      if (uncertain && wroteSame(want)) { // written as it is and still absent: dropped; remember Git's value there
        Map<String, Integer> values = new ConcurrentHashMap<>();
        record = ServerDrops.settled(record, place -> {
          values.put(place.text(), hash(place.in(tree.node())));
          return true;
        });
        dropped.put(want.id(), values);
      } else if (uncertain) {
        Map<String, Integer> values = dropped.getOrDefault(want.id(), Map.of());
        record = ServerDrops.settled(record,
            place -> Integer.valueOf(hash(place.in(tree.node()))).equals(values.get(place.text())));
      }
      if (record != applied.node()) {
        settled = settled != null ? settled : new HashMap<>();
        settled.put(want.id(), new Observed(have.resource(), have.owner(), have.version(), new Content.Tree(record)));
      }
    }
    return settled == null ? actual : actual.with(settled);
  }

  /**
   * {@code record} with {@link ServerDrops#DROPPED} at each field the decoder dropped from the last
   * write to {@code id} (as this target remembers it, else as the object keeps it:
   * {@link DecodedDrops#ANNOTATION}) that Git still sets as written there and the live object still lacks.
   */
  private JsonNode decodedMarked(Resource want, JsonNode desired, Observed have, JsonNode record,
                                 java.util.function.BiConsumer<Resource, ServerDrops.Dropped> decodedDrop) {
    if (!(have.resource().content() instanceof Content.Tree live)) {
      return record;
    }
    Map<ServerDrops.Dropped, Integer> fields = decoded.get(want.id());
    fields = fields != null ? fields : DecodedDrops.remembered(live.node()); // a restarted target: what the object keeps
    JsonNode out = record;
    for (Map.Entry<ServerDrops.Dropped, Integer> f : fields.entrySet()) {
      if (f.getValue() == hash(f.getKey().in(desired)) && f.getKey().in(live.node()) == null
          && f.getKey().in(out) != null) {
        out = f.getKey().markedIn(out);
        decodedDrop.accept(want, f.getKey());
      }
    }
    return out;
  }

  private static int hash(JsonNode value) {
    return value == null ? 0 : value.hashCode();
  }
}
