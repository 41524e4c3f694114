package dev.gitops.benchmarks.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.SplittableRandom;

/** How a template copy becomes one distinct object, and how a commit changes it. Stateless. */
final class Variations {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private Variations() {
  }

  /** A Namespace object named {@code ns-i}. */
  static ObjectNode namespace(int i) {
    ObjectNode ns = F.objectNode().put("apiVersion", "v1").put("kind", "Namespace");
    ns.putObject("metadata").put("name", "ns-" + i).putObject("labels").put("team", "team-" + i % 7);
    return ns;
  }

  /** Renames {@code copy} to be object number {@code i} in {@code namespace} and varies its content. */
  static ObjectNode vary(ObjectNode copy, int i, String namespace, SplittableRandom random) {
    ObjectNode meta = copy.withObjectProperty("metadata");
    String kind = copy.path("kind").asText();
    String name = meta.path("name").asText() + "-" + i;
    if (kind.equals("CustomResourceDefinition")) {
      ObjectNode spec = copy.withObjectProperty("spec");
      String group = "g" + i + "." + spec.path("group").asText("example.com");
      spec.put("group", group);
      name = spec.path("names").path("plural").asText("things") + "." + group;
      meta.remove("namespace");
    } else {
      meta.put("namespace", namespace);
    }
    meta.put("name", name);
    ObjectNode labels = meta.withObjectProperty("labels");
    labels.put("app.kubernetes.io/instance", name);
    // The target sets these two labels on what it applies; a manifest that sets them (Helm's
    // charts say managed-by: Helm) would differ from the cluster forever.
    labels.remove("app.kubernetes.io/managed-by");
    labels.remove("gitops.dev/owner");
    switch (kind) {
      case "Deployment" -> {
        copy.withObjectProperty("spec").put("replicas", 1 + random.nextInt(5));
        for (JsonNode c : copy.path("spec").path("template").path("spec").path("containers")) {
          ObjectNode container = (ObjectNode) c;
          container.put("image", retag(container.path("image").asText("app"),
              "1." + random.nextInt(40) + "." + random.nextInt(10)));
        }
      }
      case "ConfigMap" -> copy.withObjectProperty("data").put("instance", "id-" + random.nextLong(1L << 40));
      default -> { }
    }
    return copy;
  }

  /** Changes {@code wanted} the way a commit would: a new image, new data, or a new label. */
  static void change(ObjectNode wanted, SplittableRandom random) {
    switch (wanted.path("kind").asText()) {
      case "Deployment" -> {
        for (JsonNode c : wanted.path("spec").path("template").path("spec").path("containers")) {
          ObjectNode container = (ObjectNode) c;
          container.put("image", retag(container.path("image").asText(), "2.0." + random.nextInt(10)));
        }
      }
      case "ConfigMap" -> wanted.withObjectProperty("data").put("instance", "changed-" + random.nextInt(1000));
      default -> wanted.withObjectProperty("metadata").withObjectProperty("labels")
          .put("gitops.dev/revision", "r" + random.nextInt(1000));
    }
  }

  private static String retag(String image, String tag) {
    int at = image.indexOf('@');
    String base = at < 0 ? image : image.substring(0, at);
    int colon = base.lastIndexOf(':');
    if (colon > base.lastIndexOf('/')) {
      base = base.substring(0, colon);
    }
    return base + ":" + tag;
  }
}
