package dev.gitops.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.Content;
import dev.gitops.model.Observed;
import dev.gitops.model.Origin;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import java.util.Map;
import java.util.TreeMap;

/** Small resources for plan tests, beside {@link dev.gitops.model.Fixtures}' ConfigMaps and files. */
public final class PlanFixtures {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PlanFixtures() {}

  /** {@code apps/Deployment/default/<name>} with {@code spec.replicas}. */
  public static Resource deployment(String name, int replicas) {
    ObjectNode n = object("apps/v1", "Deployment", "default", name);
    n.putObject("spec").put("replicas", replicas);
    return Resource.of(new ResourceId("apps", "Deployment", "default", name), new Content.Tree(n),
        new Origin("deploy/" + name + ".yaml", 1));
  }

  /** {@code Secret/default/<name>} with the given (plain) data. */
  public static Resource secret(String name, Map<String, String> data) {
    ObjectNode n = object("v1", "Secret", "default", name);
    ObjectNode d = n.putObject("data");
    new TreeMap<>(data).forEach(d::put);
    return Resource.of(ResourceId.of("Secret", "default", name), new Content.Tree(n),
        new Origin("deploy/secrets.yaml", 3));
  }

  /** {@code Namespace//<name>}. */
  public static Resource namespace(String name) {
    return Resource.of(ResourceId.of("Namespace", "", name),
        new Content.Tree(object("v1", "Namespace", "", name)), new Origin("deploy/ns.yaml", 1));
  }

  /** {@code r} in explicit wave {@code wave}. */
  public static Resource inWave(Resource r, int wave) {
    Map<String, String> a = new TreeMap<>(r.extraAnnotations());
    a.put(Resource.WAVE, Integer.toString(wave));
    return r.withAnnotations(a);
  }

  /** {@code r} depending on {@code ids}. */
  public static Resource dependingOn(Resource r, ResourceId... ids) {
    Map<String, String> a = new TreeMap<>(r.extraAnnotations());
    StringBuilder list = new StringBuilder();
    for (ResourceId id : ids) {
      list.append(list.length() == 0 ? "" : ",").append(id);
    }
    a.put(Resource.DEPENDS_ON, list.toString());
    return r.withAnnotations(a);
  }

  /** {@code r} as a target reports it, owned by {@code owner} ({@code ""}: nobody). */
  public static Observed observed(Resource r, String owner) {
    return Observed.of(r.withOrigin(Origin.UNKNOWN), owner);
  }

  /** {@code r} as a target reports it, owned by {@code owner}, with a version. */
  public static Observed observed(Resource r, String owner, String version) {
    return new Observed(r.withOrigin(Origin.UNKNOWN), owner, version, null);
  }

  private static ObjectNode object(String apiVersion, String kind, String namespace, String name) {
    ObjectNode n = JSON.createObjectNode();
    n.put("apiVersion", apiVersion).put("kind", kind);
    ObjectNode meta = n.putObject("metadata");
    meta.put("name", name);
    if (!namespace.isEmpty()) {
      meta.put("namespace", namespace);
    }
    return n;
  }
}
