package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Observed;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import java.util.ArrayList;
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
 * the server's drops were recognised. A hash, not the tree (as {@link AdmissionKept} keeps it): two
 * contents of one hash can only hide a change Git made back and forth. Thread-safe; not public API.
 */
final class WrittenContent {
  /** At most this many objects are remembered; emptied when full (a bound, not a cache policy). */
  static final int MAX = 10_000;

  private final Map<ResourceId, Integer> written = new ConcurrentHashMap<>();

  /** After this target wrote {@code desired} to object {@code id}. */
  void written(ResourceId id, JsonNode desired) {
    if (written.size() >= MAX) {
      written.clear();
    }
    written.put(id, desired.hashCode());
  }

  /** True when this target last wrote {@code r}'s content, as it is, to its object. */
  boolean wroteSame(Resource r) {
    return r.content() instanceof Content.Tree tree && Integer.valueOf(tree.node().hashCode()).equals(written.get(r.id()));
  }

  /**
   * {@code actual} with the {@link ServerDrops#UNLESS_ZERO} marks of objects this target last wrote
   * as {@code desired} holds them made {@link ServerDrops#DROPPED}; {@code actual} itself when none.
   */
  ActualState settle(DesiredState desired, ActualState actual) {
    Map<ResourceId, Observed> settled = null;
    for (Resource want : desired.resources()) {
      Observed have = actual.get(want.id());
      if (have != null && have.lastApplied() instanceof Content.Tree applied
          && ServerDrops.uncertain(applied.node()) && wroteSame(want)) {
        settled = settled != null ? settled : new HashMap<>();
        settled.put(want.id(), new Observed(have.resource(), have.owner(), have.version(),
            new Content.Tree(ServerDrops.settled(applied.node()))));
      }
    }
    if (settled == null) {
      return actual;
    }
    List<Observed> out = new ArrayList<>(actual.size());
    for (Observed o : actual.observed()) {
      out.add(settled.getOrDefault(o.id(), o));
    }
    return ActualState.of(out);
  }
}
