package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.gitops.diff.FieldSchema;
import java.util.Set;

/**
 * A projected volume's source whose only projection a feature gate the cluster has off guards,
 * stored by the API server as an empty source {@code {}}: the strategy's {@code dropDisabledFields}
 * ({@code pkg/api/pod/util.go} {@code dropDisabledClusterTrustBundleProjection} behind
 * ClusterTrustBundleProjection, {@code dropDisabledPodCertificateProjection} behind
 * PodCertificateRequest; for a Pod's create and update and a template's alike) sets the field to nil
 * in every source unless the old object already used it, and keeps the element; validation takes an
 * empty source ({@code validateProjectionSources} refuses more than one projection in a source, not
 * none). {@code sources} is an atomic list matched by position, so Git's projection at a position
 * where the live source is empty was planned as an add on every run, which every write drops again:
 * here it is {@value SchemaField#DROPPED}. Only where the live source at the same position of the
 * same volume (by name) is empty, and only for those two projections; anything else in the list is
 * compared as before. Wraps a kind's schema along {@code spec}, a pod template's {@code template}
 * and {@code spec}, a CronJob's {@code jobTemplate}, {@code volumes} and down to the source's field,
 * carrying the live value at each step; only for the API server's own kinds with a pod spec
 * ({@link PodRules#podSpec}: a custom resource's template, an Argo Rollout's, stores what it is given,
 * and the look at every other object cost the plan of 10,000 objects 10% in {@code PlanAB}). Not public API.
 */
final class DisabledProjections extends ForwardingNode {
  /** The projections a gate that may be off guards, each the one field of its source. */
  private static final Set<String> GATED = Set.of("clusterTrustBundle", "podCertificate");
  /** The fields leading from a kind's root to a pod spec ({@code spec}, {@code template}, {@code jobTemplate}). */
  private static final Set<String> TO_POD_SPEC = Set.of("spec", "template", "jobTemplate");

  /** Where a node sits on the wrapped paths. */
  private enum At { OBJECT, VOLUMES, VOLUME, PROJECTED, SOURCES, SOURCE, GATED }

  private final At at;
  /** The live value here (a missing node when live has none). */
  private final JsonNode live;
  /** The desired value here: a volume, its projection's sources, or a source. */
  private final JsonNode desired;

  private DisabledProjections(FieldSchema.Node schema, At at, JsonNode live, JsonNode desired) {
    super(schema);
    this.at = at;
    this.live = live;
    this.desired = desired;
  }

  /**
   * {@code root} (may be null) wrapped when {@code actual}, the live object, has an empty projected
   * source in a pod spec on the paths followed; {@code root} itself otherwise (the usual case: no
   * walk pays for it).
   */
  static FieldSchema.Node of(FieldSchema.Node root, JsonNode actual) {
    return actual != null && emptySource(actual) ? new DisabledProjections(root, At.OBJECT, actual, null) : root;
  }

  private static boolean emptySource(JsonNode node) {
    for (JsonNode volume : node.path("volumes")) {
      for (JsonNode source : volume.path("projected").path("sources")) {
        if (source.isObject() && source.isEmpty()) {
          return true;
        }
      }
    }
    for (String name : TO_POD_SPEC) {
      JsonNode next = node.get(name);
      if (next != null && next.isObject() && emptySource(next)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public FieldSchema.Node field(String name) {
    FieldSchema.Node child = schemaField(name);
    return switch (at) {
      case OBJECT -> name.equals("volumes") ? wrap(child, At.VOLUMES, live.path(name), null)
          : TO_POD_SPEC.contains(name) ? wrap(child, At.OBJECT, live.path(name), null) : child;
      case VOLUME -> name.equals("projected") ? wrap(child, At.PROJECTED, live.path(name), desired.path(name)) : child;
      case PROJECTED -> name.equals("sources") ? wrap(child, At.SOURCES, live.path(name), desired.path(name)) : child;
      case SOURCE -> GATED.contains(name) && live.isObject() && live.isEmpty() && GATED.containsAll(names(desired))
          ? new DisabledProjections(child, At.GATED, live, null) : child;
      default -> child;
    };
  }

  @Override
  public FieldSchema.Node element(JsonNode element) {
    FieldSchema.Node child = schemaElement(element);
    if (at == At.VOLUMES) {
      return wrap(child, At.VOLUME, byName(live, element.path("name").asText(null)), element);
    }
    if (at == At.SOURCES) {
      int i = indexOf(desired, element); // the walk hands the desired element (a normalised copy, maybe)
      return i < 0 ? child : wrap(child, At.SOURCE, live.path(i), element);
    }
    return child;
  }

  @Override
  public String hidden(JsonNode actual, JsonNode desiredValue, JsonNode lastApplied) {
    if (at == At.GATED && actual == null && desiredValue != null) {
      return SchemaField.DROPPED;
    }
    return super.hidden(actual, desiredValue, lastApplied);
  }

  /**
   * True when the list {@code a} (live) differs from {@code d} (desired) only by sources that
   * {@code list}'s schema hides as dropped (an empty live source where Git's holds only a gated
   * projection): a JSON Patch replacing the atomic list would be dropped again on every write, so
   * {@link ThreeWayPatch} leaves it, as the plan does (pair 469).
   */
  static boolean droppedOnly(JsonNode d, JsonNode a, FieldSchema.Node list) {
    if (list == null || !d.isArray() || !a.isArray() || d.size() != a.size()) {
      return false;
    }
    boolean any = false;
    for (int i = 0; i < d.size(); i++) {
      JsonNode de = d.get(i);
      JsonNode ae = a.get(i);
      if (ThreeWayPatch.subsetEquals(de, ae)) {
        continue;
      }
      if (!ae.isObject() || !ae.isEmpty() || !de.isObject() || de.isEmpty()) {
        return false;
      }
      FieldSchema.Node element = list.element(de);
      for (String name : names(de)) {
        FieldSchema.Node field = element == null ? null : element.field(name);
        if (field == null || !SchemaField.DROPPED.equals(field.hidden(null, de.get(name), null))) {
          return false;
        }
      }
      any = true;
    }
    return any;
  }

  private static FieldSchema.Node wrap(FieldSchema.Node child, At at, JsonNode live, JsonNode desired) {
    return live.isMissingNode() ? child : new DisabledProjections(child, at, live, desired);
  }

  private static JsonNode byName(JsonNode list, String name) {
    for (JsonNode e : list) {
      if (name != null && name.equals(e.path("name").asText(null))) {
        return e;
      }
    }
    return MissingNode.getInstance();
  }

  /** The position of {@code element} in {@code list}: the element itself, else the first equal one; -1 when none. */
  private static int indexOf(JsonNode list, JsonNode element) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) == element) {
        return i;
      }
    }
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).equals(element)) {
        return i;
      }
    }
    return -1;
  }

  private static Set<String> names(JsonNode object) {
    Set<String> out = new java.util.HashSet<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
