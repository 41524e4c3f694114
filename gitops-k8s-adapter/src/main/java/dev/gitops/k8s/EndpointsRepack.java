package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A core/v1 Endpoints' {@code subsets} as the API server stores them: its registry's
 * {@code Canonicalize} repacks them on every write ({@code pkg/api/endpoints/util.go}
 * {@code RepackSubsets}), so the order and grouping Git writes them in is not drift.
 *
 * <ul>
 *   <li>every address is mapped to every port of its subset (a subset without ports to none),
 *       addresses told apart by IP and {@code targetRef.uid}, the first one written kept whole,
 *       and an address both ready and not ready for one port is not ready;
 *   <li>ports with the same addresses share one subset; a port no address offers goes, and so does
 *       a subset left without addresses;
 *   <li>{@code addresses} and {@code notReadyAddresses} are sorted by the bytes of the IP, then
 *       the {@code targetRef} uid (none first), as {@code LessEndpointAddress} sorts them.
 * </ul>
 *
 * The server orders ports and subsets by an md5 hash of their Go dump; this orders them by their
 * canonical JSON text instead, the same for the desired and the live object, so that only their
 * content is compared. A port's left-out {@code protocol} is {@code TCP}
 * ({@code SetDefaults_EndpointPort}, which runs before). Values of another type than the server's
 * leave the subsets as they are. Stateless. Not public API.
 */
final class EndpointsRepack {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Comparator<ObjectNode> ADDRESS_ORDER = Comparator
      .<ObjectNode, byte[]>comparing(a -> a.path("ip").textValue().getBytes(StandardCharsets.UTF_8),
          Arrays::compareUnsigned)
      .thenComparing(EndpointsRepack::uid, Comparator.nullsFirst(Comparator.naturalOrder()));

  /** The port of a subset written without ports. */
  private static final ObjectNode NO_PORT = NODES.objectNode();

  private EndpointsRepack() {}

  /**
   * {@code subsets} repacked as the server stores them (empty when no address is left: the server
   * then drops the field); null when they are so already or are not the server's types.
   */
  static ArrayNode subsets(JsonNode subsets) {
    if (!(subsets instanceof ArrayNode list) || !wellTyped(list)) {
      return null;
    }
    Map<String, ObjectNode> addresses = new LinkedHashMap<>();
    Map<String, Map<String, Boolean>> byPort = new LinkedHashMap<>(); // port text -> address key -> ready
    Map<String, ObjectNode> ports = new LinkedHashMap<>();
    for (JsonNode subset : list) {
      List<ObjectNode> its = new ArrayList<>();
      for (JsonNode p : subset.path("ports")) {
        ObjectNode port = canonical((ObjectNode) p);
        if (!port.has("protocol")) {
          port.put("protocol", "TCP");
        }
        its.add(port);
      }
      if (its.isEmpty()) {
        its.add(NO_PORT); // the server's sentinel: addresses without ports are kept
      }
      for (ObjectNode port : its) {
        String key = port.toString();
        ports.putIfAbsent(key, port);
        Map<String, Boolean> ready = byPort.computeIfAbsent(key, k -> new LinkedHashMap<>());
        map(subset.path("addresses"), true, addresses, ready);
        map(subset.path("notReadyAddresses"), false, addresses, ready);
      }
    }
    Map<String, Map<String, Boolean>> sets = new TreeMap<>(); // address set -> its readiness
    Map<String, List<ObjectNode>> groups = new TreeMap<>(); // address set -> its ports
    byPort.forEach((port, ready) -> {
      if (!ready.isEmpty()) {
        String set = new TreeMap<>(ready).toString();
        sets.put(set, ready);
        List<ObjectNode> its = groups.computeIfAbsent(set, k -> new ArrayList<>());
        if (ports.get(port) != NO_PORT) {
          its.add(ports.get(port));
        }
      }
    });
    List<ObjectNode> out = new ArrayList<>();
    groups.forEach((set, its) -> out.add(subset(its, sets.get(set), addresses)));
    out.sort(Comparator.comparing(ObjectNode::toString));
    ArrayNode repacked = NODES.arrayNode().addAll(out);
    return repacked.equals(list) ? null : repacked;
  }

  private static ObjectNode subset(List<ObjectNode> ports, Map<String, Boolean> ready,
      Map<String, ObjectNode> addresses) {
    List<ObjectNode> readyOnes = new ArrayList<>();
    List<ObjectNode> notReady = new ArrayList<>();
    ready.forEach((key, isReady) -> (isReady ? readyOnes : notReady).add(addresses.get(key)));
    ObjectNode subset = NODES.objectNode();
    if (!readyOnes.isEmpty()) {
      readyOnes.sort(ADDRESS_ORDER);
      subset.putArray("addresses").addAll(readyOnes);
    }
    if (!notReady.isEmpty()) {
      notReady.sort(ADDRESS_ORDER);
      subset.putArray("notReadyAddresses").addAll(notReady);
    }
    if (!ports.isEmpty()) {
      ports.sort(Comparator.comparing(ObjectNode::toString));
      subset.putArray("ports").addAll(ports);
    }
    return subset;
  }

  /** Records each address of {@code list} for one port; not ready wins over ready. */
  private static void map(JsonNode list, boolean isReady, Map<String, ObjectNode> addresses,
      Map<String, Boolean> ready) {
    for (JsonNode a : list) {
      ObjectNode address = canonical((ObjectNode) a);
      String uid = uid(address);
      String key = address.path("ip").textValue() + "\n" + (uid == null ? "" : uid); // Go's key: no ref, no uid
      addresses.putIfAbsent(key, address);
      ready.merge(key, isReady, Boolean::logicalAnd);
    }
  }

  /** The {@code targetRef} uid, {@code ""} when the ref has none, null without a ref (sorted first). */
  private static String uid(ObjectNode address) {
    JsonNode ref = address.get("targetRef");
    return ref instanceof ObjectNode ? ref.path("uid").asText("") : null;
  }

  /** A copy with its fields in name order, nulls left out, so equal values print alike. */
  private static ObjectNode canonical(ObjectNode node) {
    ObjectNode copy = NODES.objectNode();
    Map<String, JsonNode> sorted = new TreeMap<>();
    node.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
    sorted.forEach((name, v) -> {
      if (!v.isNull()) {
        copy.set(name, v instanceof ObjectNode o ? canonical(o) : v);
      }
    });
    return copy;
  }

  /** Subsets, addresses and ports are objects, each address has a textual IP: the shapes the server decodes. */
  private static boolean wellTyped(ArrayNode subsets) {
    for (JsonNode subset : subsets) {
      if (!subset.isObject()) {
        return false;
      }
      for (String field : new String[] {"addresses", "notReadyAddresses", "ports"}) {
        JsonNode v = subset.get(field);
        if (v != null && !v.isNull() && !v.isArray()) {
          return false;
        }
        for (JsonNode e : subset.path(field)) {
          if (!e.isObject() || !field.equals("ports") && !e.path("ip").isTextual()) {
            return false;
          }
        }
      }
    }
    return true;
  }
}
