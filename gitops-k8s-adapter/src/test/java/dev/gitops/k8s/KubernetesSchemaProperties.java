package dev.gitops.k8s;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.diff.Suppressed;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Laws of the schema-aware Kubernetes diff over generated Deployments: zero values the server
 * drops equal their absence, both ways; keyed lists match whatever the order of their elements.
 */
class KubernetesSchemaProperties {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Zero values a Deployment's manifest may spell out: where, what, whether a scalar. */
  private record Zero(String[] path, JsonNode value, boolean scalar) {}

  private static final List<Zero> ZEROS = List.of(
      zero("spec.minReadySeconds", F.numberNode(0), true),
      zero("spec.template.spec.hostNetwork", F.booleanNode(false), true),
      zero("spec.template.spec.hostPID", F.booleanNode(false), true),
      zero("spec.template.spec.containers.0.workingDir", F.textNode(""), true),
      zero("spec.template.spec.containers.0.stdin", F.booleanNode(false), true),
      zero("spec.template.spec.containers.0.args", F.arrayNode(), false),
      zero("spec.template.spec.containers.0.command", F.arrayNode(), false),
      zero("spec.template.spec.containers.0.resources.limits", F.objectNode(), false),
      zero("spec.template.spec.nodeSelector", F.objectNode(), false),
      zero("spec.template.spec.imagePullSecrets", F.arrayNode(), false),
      zero("spec.template.spec.tolerations", F.arrayNode(), false),
      zero("spec.template.metadata.annotations", F.objectNode(), false));

  private static Zero zero(String path, JsonNode value, boolean scalar) {
    return new Zero(path.split("\\."), value, scalar);
  }

  /** A Deployment with one container, as in Git; {@code image} varies it. */
  private static ObjectNode deployment(int image) {
    return SchemaDiffs.yaml("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop, labels: {app: web}}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: web
                image: web:%d
                resources: {}
        """.formatted(image));
  }

  /** {@code tree} with {@code value} at {@code path} (array indexes as numbers). */
  private static void put(ObjectNode tree, String[] path, JsonNode value) {
    JsonNode at = tree;
    for (int i = 0; i < path.length - 1; i++) {
      JsonNode next = at.isArray() ? at.get(Integer.parseInt(path[i])) : at.get(path[i]);
      at = next != null ? next : ((ObjectNode) at).putObject(path[i]);
    }
    ((ObjectNode) at).set(path[path.length - 1], value);
  }

  /** The live object: {@code base} plus server fields, {@code gitops} owning what {@code applied} set. */
  private static ObjectNode live(ObjectNode base, ObjectNode applied) {
    ObjectNode live = base.deepCopy();
    ObjectNode meta = (ObjectNode) live.get("metadata");
    meta.put("resourceVersion", "5");
    ObjectNode entry = meta.putArray("managedFields").addObject();
    entry.put("manager", "gitops").put("operation", "Apply").set("fieldsV1", fields(applied));
    live.withObjectProperty("spec").put("replicas", 1).put("revisionHistoryLimit", 10);
    return live;
  }

  /** A field set of a Deployment-shaped tree: containers keyed by name, other lists atomic. */
  private static ObjectNode fields(JsonNode tree) {
    ObjectNode out = F.objectNode();
    tree.properties().forEach(e -> {
      JsonNode v = e.getValue();
      if (e.getKey().equals("containers")) {
        ObjectNode list = out.putObject("f:containers");
        v.forEach(c -> {
          ObjectNode element = fields(c);
          element.putObject(".");
          list.set("k:{\"name\":\"" + c.get("name").asText() + "\"}", element);
        });
      } else if (v.isObject() && !v.isEmpty() && !e.getKey().equals("nodeSelector")) {
        out.set("f:" + e.getKey(), fields(v));
      } else if (!(v.isObject() && v.isEmpty() && !e.getKey().equals("nodeSelector"))) {
        out.putObject("f:" + e.getKey()); // a scalar, an atomic list or map: one leaf
      }
    });
    return out;
  }

  private static int zeroValues(ResourceDiff d) {
    return d.suppressed().stream().filter(s -> s.rule().equals("zero value"))
        .mapToInt(Suppressed::count).sum();
  }

  @Test
  void zeroValuesEqualTheirAbsenceBothWays() {
    qt().withExamples(300).forAll(integers().between(0, (1 << ZEROS.size()) - 1), integers().between(0, 99))
        .check((mask, image) -> {
          ObjectNode base = deployment(image);
          ObjectNode withZeros = deployment(image);
          ObjectNode withNulls = deployment(image);
          int chosen = 0;
          for (int z = 0; z < ZEROS.size(); z++) {
            if ((mask & (1 << z)) != 0) {
              chosen++;
              put(withZeros, ZEROS.get(z).path(), ZEROS.get(z).value());
              put(withNulls, ZEROS.get(z).path(), ZEROS.get(z).scalar()
                  ? ZEROS.get(z).value() : NullNode.getInstance());
            }
          }
          // Git spells the zeros out; the server dropped them (or reads them back as null).
          ResourceDiff dropped = SchemaDiffs.diff(KubernetesDiff.options(), withZeros, live(base, withZeros));
          ObjectNode nullLive = live(withNulls, withZeros);
          for (int z = 0; z < ZEROS.size(); z++) {
            if ((mask & (1 << z)) != 0 && ZEROS.get(z).scalar()) {
              put(nullLive, ZEROS.get(z).path(), NullNode.getInstance());
            }
          }
          ResourceDiff nulls = SchemaDiffs.diff(KubernetesDiff.options(), withZeros, nullLive);
          // The other way: Git leaves them out, the live object has them (a server that keeps them).
          ResourceDiff kept = SchemaDiffs.diff(KubernetesDiff.options(), base, live(withZeros, base));
          return dropped.isEmpty() && zeroValues(dropped) == chosen && nulls.isEmpty()
              && zeroValues(nulls) == chosen && kept.isEmpty();
        });
  }

  @Test
  void keyedListsMatchWhateverTheOrderOfTheirElements() {
    qt().withExamples(300).forAll(longs().all(), integers().between(0, 1)).check((seed, changed) -> {
      Random r = new Random(seed);
      ObjectNode desired = deployment(1);
      ArrayNode containers = (ArrayNode) desired.at("/spec/template/spec/containers");
      containers.removeAll();
      int n = 1 + r.nextInt(4);
      for (int c = 0; c < n; c++) {
        ObjectNode container = containers.addObject().put("name", "c" + c).put("image", "img:" + c);
        ArrayNode env = container.putArray("env");
        for (int e = 0, m = r.nextInt(4); e < m; e++) {
          env.addObject().put("name", "E" + e).put("value", "v" + r.nextInt(3));
        }
        ArrayNode ports = container.putArray("ports");
        for (int p = 0, m = r.nextInt(3); p < m; p++) {
          ports.addObject().put("containerPort", 8000 + 10 * c + p);
        }
      }
      ObjectNode shuffled = desired.deepCopy();
      ArrayNode live = (ArrayNode) shuffled.at("/spec/template/spec/containers");
      List<JsonNode> order = new ArrayList<>();
      live.forEach(order::add);
      Collections.shuffle(order, r);
      live.removeAll();
      for (JsonNode c : order) {
        ObjectNode container = (ObjectNode) c;
        shuffle((ArrayNode) container.get("env"), r);
        shuffle((ArrayNode) container.get("ports"), r);
        container.get("ports").forEach(p -> ((ObjectNode) p).put("protocol", "TCP"));
        container.put("imagePullPolicy", "IfNotPresent");
        live.add(container);
      }
      int target = r.nextInt(n);
      if (changed == 1) {
        ((ObjectNode) containers.get(target)).put("image", "img:new");
      }
      ResourceDiff d = SchemaDiffs.diff(KubernetesDiff.options(), desired, live(shuffled, desired));
      if (changed == 0) {
        return d.isEmpty();
      }
      int at = order.indexOf(order.stream().filter(c -> c.get("name").asText().equals("c" + target))
          .findFirst().orElseThrow());
      return d.changes().size() == 1
          && d.changes().get(0).path().equals("/spec/template/spec/containers/" + at + "/image");
    });
  }

  private static void shuffle(ArrayNode list, Random r) {
    List<JsonNode> items = new ArrayList<>();
    list.forEach(items::add);
    Collections.shuffle(items, r);
    list.removeAll();
    list.addAll(items);
  }
}
