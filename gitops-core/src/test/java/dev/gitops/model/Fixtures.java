package dev.gitops.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** Small resources for tests. */
public final class Fixtures {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  /** {@code ConfigMap/default/<name>} holding {@code data} (in key order). */
  public static Resource configMap(String name, Map<String, String> data) {
    return configMap(name, data, Map.of());
  }

  /** {@code ConfigMap/default/<name>} holding {@code data}, with annotations. */
  public static Resource configMap(String name, Map<String, String> data,
                                   Map<String, String> annotations) {
    ObjectNode node = JSON.createObjectNode();
    node.put("apiVersion", "v1").put("kind", "ConfigMap");
    ObjectNode meta = node.putObject("metadata").put("name", name).put("namespace", "default");
    if (!annotations.isEmpty()) {
      ObjectNode a = meta.putObject("annotations");
      annotations.forEach(a::put);
    }
    ObjectNode d = node.putObject("data");
    new TreeMap<>(data).forEach(d::put);
    return Resource.of(ResourceId.of("ConfigMap", "default", name), Content.tree(node),
        new Origin("deploy/" + name + ".yaml", 1));
  }

  /** {@code ConfigMap/default/<name>} with {@code key: value}. */
  public static Resource configMap(String name, String value) {
    return configMap(name, Map.of("key", value));
  }

  /** A regular file with UTF-8 {@code text}. */
  public static Resource file(String path, String text) {
    return Resource.of(ResourceId.file(path),
        Content.bytes(text.getBytes(StandardCharsets.UTF_8), FileMode.REGULAR), new Origin(path, 1));
  }
}
