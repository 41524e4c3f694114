package dev.gitops.apply;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.Observed;
import dev.gitops.model.Origin;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine laws' generators, from QuickTheories' SourceDSL: small worlds of desired resources and
 * what a target holds — ours, other reconcilers', and nobody's — over a pool of 12 ids (trees of two
 * kinds, one in a group, and files), with contents drawn from a few variants so that equal contents
 * (no-ops) are frequent.
 */
final class Gen {
  /** The reconciler the laws plan and apply as. */
  static final String OWNER = "gitops";
  /** Another reconciler. */
  static final String OTHER = "someone-else";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] NAMES = {"a", "b", "c", "d"};
  private static final List<ResourceId> POOL = pool();

  private Gen() {}

  /**
   * A desired state and an actual state. Desired ids never collide with another reconciler's
   * resources (that is a refusal, not a plan); they may collide with unowned ones (adopted).
   *
   * @param desired desired resources, distinct ids
   * @param actual what the target holds, distinct ids
   */
  record World(List<Resource> desired, List<Observed> actual) {
    @Override
    public String toString() {
      return "desired " + desired.stream().map(r -> r.id() + "#" + r.content().digest().substring(7, 13)).toList()
          + " actual " + actual.stream().map(o -> o.id() + "@" + o.owner() + "#"
              + o.resource().content().digest().substring(7, 13)).toList();
    }
  }

  /** Worlds of up to {@code maxSlots} ids. */
  static org.quicktheories.core.Gen<World> worlds(int maxSlots) {
    org.quicktheories.core.Gen<int[]> slot = integers().between(0, POOL.size() - 1).zip(
        integers().between(0, 3), integers().between(0, 3), integers().between(0, 3),
        integers().between(-1, 2), (id, want, have, owner, wave) -> new int[] {id, want, have, owner, wave});
    return lists().of(slot).ofSizeBetween(0, maxSlots).map(Gen::world);
  }

  /** Hand edits: 1 to 3 resources of the pool, in some content variant. */
  static org.quicktheories.core.Gen<List<Resource>> drifts() {
    org.quicktheories.core.Gen<Resource> edit = integers().between(0, POOL.size() - 1)
        .zip(integers().between(1, 3), (id, v) -> resource(POOL.get(id), v, -1));
    return lists().of(edit).ofSizeBetween(1, 3);
  }

  private static World world(List<int[]> slots) {
    Map<ResourceId, int[]> byId = new LinkedHashMap<>();
    slots.forEach(s -> byId.putIfAbsent(POOL.get(s[0]), s));
    List<Resource> desired = new ArrayList<>();
    List<Observed> actual = new ArrayList<>();
    byId.forEach((id, s) -> {
      int want = s[1];
      int have = s[2];
      String owner = switch (s[3]) {
        case 0, 1 -> OWNER;
        case 2 -> OTHER;
        default -> "";
      };
      if (have > 0) {
        actual.add(new Observed(resource(id, have, s[4]), owner, "", null));
      }
      if (want > 0 && !(have > 0 && owner.equals(OTHER))) {
        desired.add(resource(id, want, s[4]).withOrigin(new Origin(id.name() + ".yaml", 1)));
      }
    });
    return new World(desired, actual);
  }

  /** Content variant {@code v} (1..3) of {@code id}, in wave {@code wave} (-1: none). */
  static Resource resource(ResourceId id, int v, int wave) {
    if (id.isFile()) {
      FileMode mode = v == 3 ? FileMode.EXECUTABLE : FileMode.REGULAR;
      byte[] data = ("line " + id.name() + "\nvariant " + Math.min(v, 2) + "\n")
          .getBytes(StandardCharsets.UTF_8);
      Resource r = Resource.of(id, Content.bytes(data, mode));
      return wave < 0 ? r : r.withAnnotations(Map.of(Resource.WAVE, Integer.toString(wave)));
    }
    ObjectNode node = JSON.createObjectNode();
    node.put("apiVersion", id.group().isEmpty() ? "v1" : id.group() + "/v1").put("kind", id.kind());
    ObjectNode meta = node.putObject("metadata").put("name", id.name()).put("namespace", id.namespace());
    if (wave >= 0) {
      meta.putObject("annotations").put(Resource.WAVE, Integer.toString(wave));
    }
    ObjectNode data = node.putObject("data");
    data.put("common", "same");
    if (v >= 2) {
      data.put("key", "value-" + v);
    }
    if (v == 3) {
      data.putArray("list").add(1).add(id.name());
    }
    return Resource.of(id, Content.tree(node));
  }

  private static List<ResourceId> pool() {
    List<ResourceId> ids = new ArrayList<>();
    for (String n : NAMES) {
      ids.add(ResourceId.of("ConfigMap", "default", n));
      ids.add(new ResourceId("apps", "Deployment", "web", n));
      ids.add(ResourceId.file("etc/" + n + ".conf"));
    }
    return List.copyOf(ids);
  }
}
