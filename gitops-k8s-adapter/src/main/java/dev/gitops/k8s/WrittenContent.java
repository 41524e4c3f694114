package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Observed;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import java.util.HashMap;
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
   * After this target wrote desired content of hash {@code hash} ({@link JsonNode#hashCode}, taken
   * once per write and shared with {@link AdmissionKept#written}) to object {@code id}.
   */
  void written(ResourceId id, int hash) {
    if (written.size() >= MAX || dropped.size() >= MAX) {
      written.clear();
      dropped.clear();
    }
    written.put(id, hash);
  }

  /** True when this target last wrote {@code r}'s content, as it is, to its object. */
  boolean wroteSame(Resource r) {
    return r.content() instanceof Content.Tree tree && Integer.valueOf(tree.node().hashCode()).equals(written.get(r.id()));
  }

  /**
   * {@code actual} with the {@link ServerDrops#UNLESS_ZERO} marks of objects this target last wrote
   * as {@code desired} holds them made {@link ServerDrops#DROPPED}, and those of fields counted so
   * before where Git's value is still the one written; {@code actual} itself when none.
   */
  ActualState settle(DesiredState desired, ActualState actual) {
    Map<ResourceId, Observed> settled = null;
    for (Resource want : desired.resources()) {
      Observed have = actual.get(want.id());
      if (have == null || !(have.lastApplied() instanceof Content.Tree applied) || !ServerDrops.uncertain(applied.node())
          || !(want.content() instanceof Content.Tree tree)) {
        continue;
      }
      JsonNode record;
      if (wroteSame(want)) { // written as it is and still absent: dropped; remember Git's value there
        Map<String, Integer> values = new ConcurrentHashMap<>();
        record = ServerDrops.settled(applied.node(), place -> {
          values.put(place.text(), hash(place.in(tree.node())));
          return true;
        });
        dropped.put(want.id(), values);
      } else {
        Map<String, Integer> values = dropped.getOrDefault(want.id(), Map.of());
        record = ServerDrops.settled(applied.node(),
            place -> Integer.valueOf(hash(place.in(tree.node()))).equals(values.get(place.text())));
      }
      if (record != applied.node()) {
        settled = settled != null ? settled : new HashMap<>();
        settled.put(want.id(), new Observed(have.resource(), have.owner(), have.version(), new Content.Tree(record)));
      }
    }
    return settled == null ? actual : actual.with(settled);
  }

  private static int hash(JsonNode value) {
    return value == null ? 0 : value.hashCode();
  }
}
