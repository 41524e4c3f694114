package dev.gitops.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Origin;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.model.Snapshot;
import dev.gitops.source.Loader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A test loader: each {@code *.json} file of a snapshot is one Kubernetes-like object
 * ({@code {"kind":..,"metadata":{"name":..,"namespace":..}}}); other files are ignored. Bad JSON and
 * objects without kind or name are problems naming the file and line.
 */
final class JsonLoader implements Loader {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public DesiredState load(Snapshot snapshot) {
    List<Resource> resources = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (Map.Entry<String, Content.Bytes> file : snapshot.files().entrySet()) {
      String path = file.getKey();
      if (!path.endsWith(".json")) {
        continue;
      }
      try {
        JsonNode node = JSON.readTree(file.getValue().data());
        String kind = node.path("kind").asText("");
        String name = node.path("metadata").path("name").asText("");
        if (kind.isEmpty() || name.isEmpty()) {
          problems.add(new Problem(path, 1, null, "kind and metadata.name are required"));
          continue;
        }
        String api = node.path("apiVersion").asText("v1");
        String group = api.contains("/") ? api.substring(0, api.indexOf('/')) : "";
        ResourceId id = new ResourceId(group, kind, node.path("metadata").path("namespace").asText(""), name);
        resources.add(Resource.of(id, Content.tree(node), new Origin(path, 1)));
      } catch (JsonProcessingException e) {
        int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
        problems.add(new Problem(path, line, null, "not JSON: " + e.getOriginalMessage()));
      } catch (java.io.IOException e) {
        problems.add(new Problem(path, 1, null, "unreadable: " + e.getMessage()));
      }
    }
    return DesiredState.of(resources, List.of(), problems);
  }
}
