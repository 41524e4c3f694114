package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.diff.FieldSchema;

/**
 * What the Service allocator adds to a dual-stack Service's atomic {@code ipFamilies} and
 * {@code clusterIPs} that the schema, seeing one element, cannot tell: the second element of a list
 * Git gives with one, a {@value SchemaField#ALLOCATED}, not a removal. From
 * {@code pkg/registry/core/service/storage/alloc.go}: {@code initIPFamilyFields} appends the
 * cluster's other family to a one-family {@code ipFamilies} when the policy is not
 * {@code SingleStack} (on a dual-stack cluster; a headless Service without a selector on any), and
 * {@code allocClusterIPs} gives that family an address, appended to {@code clusterIPs}. Applying the
 * one-element list again cannot take it away: on update a nil policy is the stored one, and a list
 * shorter than the stored one under a policy other than {@code SingleStack} is refused ("must be
 * 'SingleStack' to release the secondary IP family"), so the plan would fail on every run.
 *
 * <p>So a live-only second element is hidden when the desired list has one element, the same as
 * the live list's first, and the policy the write holds (the desired {@code ipFamilyPolicy}, else the
 * live one) is {@code PreferDualStack} or {@code RequireDualStack}. Under {@code SingleStack} the
 * registry drops the second element: a change (corpus pairs 228 and 229). Wraps the schema of kind
 * Service along those two paths only. Not public API.
 */
final class ServiceFamilies extends ForwardingNode {
  /** Where a node sits on the wrapped paths. */
  private enum At { ROOT, SPEC, LIST, ELEMENT }

  private final At at;
  /** The desired and live {@code spec}, for {@link At#ROOT} and {@link At#SPEC}. */
  private final JsonNode desired;
  private final JsonNode actual;

  private ServiceFamilies(FieldSchema.Node schema, At at, JsonNode desired, JsonNode actual) {
    super(schema);
    this.at = at;
    this.desired = desired;
    this.actual = actual;
  }

  /**
   * The root of a Service's schema (may be null) aware of the families the allocator appended, or
   * {@code root} itself when the desired Service gives no one-element list the live one extends.
   */
  static FieldSchema.Node of(FieldSchema.Node root, JsonNode actual, JsonNode desired) {
    if (actual == null || desired == null) {
      return root;
    }
    JsonNode want = desired.path("spec");
    JsonNode have = actual.path("spec");
    return appended(want, have, "ipFamilies") || appended(want, have, "clusterIPs")
        ? new ServiceFamilies(root, At.ROOT, want, have) : root;
  }

  /**
   * True when the allocator appended the second element of {@code list}: desired holds one element,
   * live two, the first the same, under a dual-stack policy.
   */
  static boolean appended(JsonNode want, JsonNode have, String list) {
    JsonNode given = want.path(list);
    JsonNode stored = have.path(list);
    if (!given.isArray() || given.size() != 1 || !stored.isArray() || stored.size() != 2
        || !given.get(0).isTextual() || !given.get(0).equals(stored.get(0))) {
      return false;
    }
    JsonNode policy = want.path("ipFamilyPolicy");
    String held = policy.isTextual() ? policy.textValue() : have.path("ipFamilyPolicy").asText("");
    return held.equals("PreferDualStack") || held.equals("RequireDualStack");
  }

  @Override
  public FieldSchema.Node field(String name) {
    FieldSchema.Node child = schemaField(name);
    return switch (at) {
      case ROOT -> name.equals("spec") ? new ServiceFamilies(child, At.SPEC, desired, actual) : child;
      case SPEC -> (name.equals("ipFamilies") || name.equals("clusterIPs")) && appended(desired, actual, name)
          ? new ServiceFamilies(child, At.LIST, null, null) : child;
      default -> child;
    };
  }

  @Override
  public FieldSchema.Node element(JsonNode element) {
    FieldSchema.Node child = schemaElement(element);
    return at == At.LIST ? new ServiceFamilies(child, At.ELEMENT, null, null) : child;
  }

  @Override
  public String hidden(JsonNode actual, JsonNode desired, JsonNode lastApplied) {
    if (at == At.ELEMENT && desired == null && actual != null) {
      return SchemaField.ALLOCATED; // the second element only: the first is the desired one's
    }
    return super.hidden(actual, desired, lastApplied);
  }
}
