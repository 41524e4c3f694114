package dev.gitops.micrometer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.FileMode;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import dev.gitops.source.Loader;
import dev.gitops.source.Source;
import dev.gitops.source.SourceException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A source held in memory: one revision at a time, each file {@code <name>} holding a color, which
 * {@link #LOADER} turns into ConfigMap {@code default/<name>} with {@code data.color}.
 */
final class MapSource implements Source {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Loader LOADER = MapSource::load;

  private volatile Revision revision = Revision.of("0000000000000000000000000000000000000000");
  private volatile Map<String, String> files = Map.of();
  /** Thrown by the next {@link #latest()}, then cleared. */
  volatile SourceException failLatest;

  /** A new revision {@code id} holding {@code colors}. */
  void commit(String id, Map<String, String> colors) {
    files = Map.copyOf(colors);
    revision = Revision.of(id);
  }

  @Override
  public Revision latest() {
    SourceException e = failLatest;
    if (e != null) {
      failLatest = null;
      throw e;
    }
    return revision;
  }

  @Override
  public Snapshot fetch(Revision at) {
    Map<String, Content.Bytes> out = new TreeMap<>();
    files.forEach((name, color) -> out.put(name,
        Content.bytes(color.getBytes(StandardCharsets.UTF_8), FileMode.REGULAR)));
    return Snapshot.of(at, out);
  }

  static Resource configMap(String name, String color) {
    ObjectNode node = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
    node.putObject("metadata").put("name", name).put("namespace", "default");
    node.putObject("data").put("color", color);
    return Resource.of(ResourceId.of("ConfigMap", "default", name), Content.tree(node));
  }

  private static DesiredState load(Snapshot snapshot) {
    List<Resource> out = new ArrayList<>();
    snapshot.files().forEach((name, bytes) -> out.add(configMap(name, snapshot.text(name))));
    return DesiredState.of(out);
  }
}
