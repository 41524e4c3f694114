package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the user, once, of each field Git sets that the API server drops from every write
 * ({@link ServerDrops}): the plan hides it ({@link SchemaField#DROPPED}), so without a word the
 * user would see a field in Git that never reaches the cluster and no plan that says so. A reader
 * hands over what it found in each object it observed ({@link #found}); the next read against a
 * desired state ({@link #warn}) logs, as a warning naming file, line, object and field, each such
 * field that Git still sets to something other than a zero value (a zero the server drops is no
 * news: the diff hides it as a zero value, as Go's encoder drops it). Each is logged once while the
 * target lives (up to 10,000). Thread-safe; not public API.
 */
final class DropWarnings {
  private static final Logger LOG = LoggerFactory.getLogger(DropWarnings.class);
  private static final int MAX = 10_000;

  private final Map<ResourceId, List<ServerDrops.Dropped>> pending = new ConcurrentHashMap<>();
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  /** {@code fields} of {@code id} the server dropped, from an observation of the object. */
  void found(ResourceId id, List<ServerDrops.Dropped> fields) {
    if (pending.size() < MAX) {
      pending.put(id, fields);
    }
  }

  /**
   * Warns of what was found in objects of {@code desired} that Git still sets, each once: a field
   * that may be a zero Go's encoder left out ({@link ServerDrops#UNLESS_ZERO}) only once this target
   * wrote the object's desired content as it is ({@code wroteSame}) and the field still did not appear.
   */
  void warn(DesiredState desired, java.util.function.Predicate<Resource> wroteSame) {
    if (pending.isEmpty()) {
      return;
    }
    for (Resource r : desired.resources()) {
      List<ServerDrops.Dropped> fields = pending.remove(r.id());
      if (fields == null || !(r.content() instanceof Content.Tree tree)) {
        continue;
      }
      for (ServerDrops.Dropped f : fields) {
        JsonNode value = f.in(tree.node());
        if (value == null || ServerDrops.zero(value) || !f.certain() && !wroteSame.test(r)) {
          continue;
        }
        Problem p = Problem.at(r.origin(), r.id(), "the server does not store " + f.text()
            + ": a feature gate off, or a field its schema lacks? " + Labels.FIELD_MANAGER
            + " wrote it and still owns it; not planned again (hidden as " + SchemaField.DROPPED + ")");
        if (warned.size() < MAX && warned.add(p.toString())) {
          LOG.warn("{}", p);
        }
      }
    }
  }
}
