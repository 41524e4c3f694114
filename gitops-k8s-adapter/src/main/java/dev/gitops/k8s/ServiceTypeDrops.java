package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.model.ResourceId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the Service strategy wipes when a write changes a Service's type, which no manager applied
 * and the diff would not show: {@code dropTypeDependentFields} of
 * {@code pkg/registry/core/service/strategy.go} (Kubernetes 1.30 and later), run on every update
 * after the apply is merged and defaulted, clears a field the old type had and the new one does not
 * take, when the write left it as it was:
 *
 * <ul>
 *   <li>from a NodePort or LoadBalancer Service to a ClusterIP or ExternalName one, every port's
 *       {@code nodePort} (released; {@code patchAllocatedValues} keeps them only when both types
 *       need them);
 *   <li>from a LoadBalancer with {@code externalTrafficPolicy: Local} to anything else (another
 *       type, or the Cluster policy), the {@code healthCheckNodePort};
 *   <li>from a LoadBalancer to another type, {@code allocateLoadBalancerNodePorts} and
 *       {@code loadBalancerClass};
 *   <li>from an externally accessible Service (NodePort, LoadBalancer, or ClusterIP with
 *       {@code externalIPs}) to one that is not, the {@code externalTrafficPolicy};
 *   <li>to an ExternalName Service, the {@code clusterIP}, {@code clusterIPs}, {@code ipFamilies}
 *       and {@code ipFamilyPolicy}.
 * </ul>
 *
 * The type, policy and {@code externalIPs} after the write are the desired ones; where Git leaves
 * one out, the live one, unless {@code gitops} applied it and no other manager owns it (the apply
 * removes it: a type is then the default {@code ClusterIP}, a policy none). Only fields Git leaves
 * out are judged (a value Git gives is compared as given; the desired checks refuse most of them
 * on a type that does not take them), and only the ports Git gives (a port Git drops goes whole).
 * {@link #removable} adds them to the last-applied tree, so the diff shows them as removals, and
 * {@link #of} makes them count whatever else would hide them (an allocated value, a default, a
 * field another manager owns: the strategy wipes it all the same). After the write the live
 * Service no longer has them and its type no longer changes: no removal is shown again. Not public API.
 */
final class ServiceTypeDrops extends ForwardingNode {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String LB = "LoadBalancer";
  /** The dropped fields below this node: an object's, a list's elements, or a leaf (a dropped field). */
  private final JsonNode drops;

  private ServiceTypeDrops(FieldSchema.Node schema, JsonNode drops) {
    super(schema);
    this.drops = drops;
  }

  /**
   * The fields of a Service that writing {@code desired} over {@code actual} makes the strategy drop,
   * as a tree ({@code {spec: {field: true, ports: [{port, protocol, nodePort: true}]}}}), or null
   * when none (another kind, no type change).
   */
  static JsonNode drops(ResourceId id, JsonNode actual, JsonNode desired, JsonNode lastApplied) {
    if (!id.group().isEmpty() || !"Service".equals(id.kind()) || actual == null || desired == null
        || !(actual.get("spec") instanceof ObjectNode have) || !(desired.get("spec") instanceof ObjectNode want)) {
      return null;
    }
    JsonNode applied = lastApplied == null ? null : lastApplied.get("spec");
    JsonNode managers = actual.path("metadata").path("managedFields");
    String oldType = text(have.get("type"), "ClusterIP");
    String newType = text(after("type", want, have, applied, managers), "ClusterIP");
    ObjectNode spec = NODES.objectNode();
    if (!oldType.equals("ExternalName") && newType.equals("ExternalName")) {
      for (String f : List.of("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy")) {
        drop(spec, f, want, have);
      }
    }
    if (needsNodePort(oldType) && !needsNodePort(newType)) {
      nodePorts(spec, want, have);
    }
    String newPolicy = text(after("externalTrafficPolicy", want, have, applied, managers), "");
    if (oldType.equals(LB) && "Local".equals(text(have.get("externalTrafficPolicy"), ""))
        && !(newType.equals(LB) && newPolicy.equals("Local"))) {
      drop(spec, "healthCheckNodePort", want, have);
    }
    if (oldType.equals(LB) && !newType.equals(LB)) {
      drop(spec, "allocateLoadBalancerNodePorts", want, have);
      drop(spec, "loadBalancerClass", want, have);
    }
    if (external(oldType, have.get("externalIPs"))
        && !external(newType, after("externalIPs", want, have, applied, managers))) {
      drop(spec, "externalTrafficPolicy", want, have);
    }
    return spec.isEmpty() ? null : NODES.objectNode().set("spec", spec);
  }

  /** {@code lastApplied} (may be null) with {@code drops} added: a new tree; {@code lastApplied} when none. */
  static JsonNode removable(JsonNode drops, JsonNode lastApplied) {
    if (drops == null) {
      return lastApplied;
    }
    ObjectNode out = lastApplied instanceof ObjectNode la ? la.deepCopy() : NODES.objectNode();
    ObjectNode spec = out.get("spec") instanceof ObjectNode s ? s : out.putObject("spec");
    for (var e : drops.get("spec").properties()) {
      if (!e.getKey().equals("ports")) {
        spec.set(e.getKey(), BooleanNode.TRUE);
        continue;
      }
      ArrayNode ports = spec.get("ports") instanceof ArrayNode p ? p : spec.putArray("ports");
      for (JsonNode port : e.getValue()) {
        JsonNode applied = matching(ports, port);
        if (applied instanceof ObjectNode a) {
          a.set("nodePort", BooleanNode.TRUE);
        } else {
          ports.add(port.deepCopy());
        }
      }
    }
    return out;
  }

  /** {@code root} (may be null) that counts every removal of {@code drops}; {@code root} when none. */
  static FieldSchema.Node of(FieldSchema.Node root, JsonNode drops) {
    return drops == null ? root : new ServiceTypeDrops(root, drops);
  }

  @Override
  public FieldSchema.Node field(String name) {
    FieldSchema.Node child = schemaField(name);
    JsonNode below = drops.isObject() ? drops.get(name) : null;
    return below == null ? child : new ServiceTypeDrops(child, below);
  }

  @Override
  public FieldSchema.Node element(JsonNode element) {
    FieldSchema.Node child = schemaElement(element);
    JsonNode below = drops instanceof ArrayNode list ? matching(list, element) : null;
    return below == null ? child : new ServiceTypeDrops(child, below);
  }

  @Override
  public String hidden(JsonNode actual, JsonNode desired, JsonNode lastApplied) {
    if (drops.isValueNode() && desired == null && actual != null) {
      return null; // the strategy wipes it: a removal, whoever owns it and however it was set
    }
    return super.hidden(actual, desired, lastApplied);
  }

  /** Marks live {@code field} dropped when Git leaves it out. */
  private static void drop(ObjectNode spec, String field, JsonNode want, JsonNode have) {
    if (absent(want.get(field)) && !absent(have.get(field))) {
      spec.set(field, BooleanNode.TRUE);
    }
  }

  /**
   * The node ports of the live ports Git gives without one, unless Git asks for a node port the live
   * Service lacks ({@code sameNodePorts}: no net-new node port).
   */
  private static void nodePorts(ObjectNode spec, JsonNode want, JsonNode have) {
    Set<Long> held = new HashSet<>();
    have.path("ports").forEach(p -> held.add(p.path("nodePort").asLong(0)));
    for (JsonNode p : want.path("ports")) {
      long asked = p.path("nodePort").asLong(0);
      if (asked != 0 && !held.contains(asked)) {
        return;
      }
    }
    ArrayNode ports = NODES.arrayNode();
    for (JsonNode live : have.path("ports")) {
      JsonNode given = matching(want.path("ports"), live);
      if (!absent(live.get("nodePort")) && live.path("nodePort").asLong(0) != 0 && given != null
          && absent(given.get("nodePort"))) {
        ports.addObject().put("port", live.path("port").asInt()).put("protocol", protocol(live))
            .put("nodePort", true);
      }
    }
    if (!ports.isEmpty()) {
      spec.set("ports", ports);
    }
  }

  /**
   * The value of spec {@code field} after the write: Git's; else the live one, unless {@code gitops}
   * applied it and no other manager owns it (null: removed).
   */
  private static JsonNode after(String field, JsonNode want, JsonNode have, JsonNode applied, JsonNode managers) {
    if (!absent(want.get(field))) {
      return want.get(field);
    }
    boolean removed = applied != null && applied.get(field) != null;
    for (JsonNode entry : managers) {
      removed &= ManagedFields.ours(entry) || entry.path("fieldsV1").path("f:spec").get("f:" + field) == null;
    }
    return removed ? null : have.get(field);
  }

  /** The element of {@code ports} with {@code port}'s number and protocol (TCP when left out), or null. */
  private static JsonNode matching(JsonNode ports, JsonNode port) {
    for (JsonNode p : ports) {
      if (p.path("port").asLong(-1) == port.path("port").asLong(-2) && protocol(p).equals(protocol(port))) {
        return p;
      }
    }
    return null;
  }

  private static String protocol(JsonNode port) {
    return text(port.get("protocol"), "TCP");
  }

  private static boolean needsNodePort(String type) {
    return type.equals("NodePort") || type.equals(LB);
  }

  /** {@code ExternallyAccessible}: a NodePort or LoadBalancer, or a ClusterIP Service with external IPs. */
  private static boolean external(String type, JsonNode externalIps) {
    return needsNodePort(type) || type.equals("ClusterIP") && externalIps != null && externalIps.isArray()
        && !externalIps.isEmpty();
  }

  private static boolean absent(JsonNode v) {
    return v == null || v.isNull() || v.isMissingNode();
  }

  private static String text(JsonNode v, String otherwise) {
    return v != null && v.isTextual() && !v.textValue().isEmpty() ? v.textValue() : otherwise;
  }
}
