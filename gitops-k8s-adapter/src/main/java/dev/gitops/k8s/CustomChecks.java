package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Observed;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The custom resources of a desired state judged as their API server takes them ({@link
 * CustomValues}), once the target has read the cluster and before anything is written: each by the
 * version its {@code apiVersion} names of its CRD, the CRD of the desired state when Git holds one
 * (which the apply is about to write), else the cluster's as the target read it. What the server
 * would refuse is a problem, with file, line, resource and field; a keyed list or set holding a key
 * twice too ({@link DuplicateKeys}), now that the target knows the cluster's CRDs. What it would
 * prune is logged once per field, as a warning naming file and line, for as long as the process
 * runs (up to 10,000 fields); the diff hides it ({@link SchemaField#PRUNED}), so it never plans a
 * change that cannot converge. A kind whose CRD neither knows, or a version it does not serve, is
 * left to the server. Thread-safe.
 */
final class CustomChecks {
  private static final Logger LOG = LoggerFactory.getLogger(CustomChecks.class);
  private static final int WARNINGS = 10_000;

  private final boolean serverSide;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  /** Checks for a target that writes server-side ({@code serverSide}), else by create and JSON Patch. */
  CustomChecks(boolean serverSide) {
    this.serverSide = serverSide;
  }

  /**
   * What the server would refuse of {@code desired}'s custom resources, beside the objects of
   * {@code actual}, and what it would prune that was not warned of before (logged here);
   * {@code learnt} knows the CRDs of {@code desired}, {@code target} those the target read.
   */
  Verdict check(DesiredState desired, ActualState actual, KubernetesSchema learnt, KubernetesSchema target) {
    Map<String, JsonNode> crds = new HashMap<>();
    for (Resource r : desired.resources()) {
      if (KubernetesSchema.isCrd(r.id()) && r.content() instanceof Content.Tree t) {
        JsonNode spec = t.node().path("spec");
        crds.put(spec.path("group").asText() + "/" + spec.path("names").path("kind").asText(), spec);
      }
    }
    List<Problem> problems = new ArrayList<>();
    List<Problem> warnings = new ArrayList<>();
    for (Resource r : desired.resources()) {
      if (BuiltinKinds.isBuiltinGroup(r.id().group()) || !(r.content() instanceof Content.Tree tree)) {
        continue;
      }
      String apiVersion = tree.node().path("apiVersion").asText("");
      JsonNode inGit = crds.get(r.id().group() + "/" + r.id().kind());
      KindSchemas.Entry e = inGit == null ? target.customEntry(r.id(), apiVersion)
          : serves(inGit, apiVersion) ? learnt.customEntry(r.id(), apiVersion) : null;
      if (e == null || e.schema() == null) {
        continue;
      }
      Observed o = actual.get(r.id());
      JsonNode live = o != null && o.resource().content() instanceof Content.Tree t ? t.node() : null;
      for (CustomValues.Finding f : CustomValues.check(e.schema(), tree.node(), live, serverSide)) {
        Problem p = Problem.at(r.origin(), r.id(), f.field() + ": " + f.message());
        if (f.refused()) {
          problems.add(p);
        } else if (warned.size() < WARNINGS && warned.add(p.toString())) {
          LOG.warn("{}", p);
          warnings.add(p);
        }
      }
      DuplicateKeys.ofCustom(e.root(), tree.node()).forEach(m -> problems.add(Problem.at(r.origin(), r.id(), m)));
    }
    return new Verdict(problems, warnings);
  }

  /** What the server would refuse, and the prunes warned of now (each once). */
  record Verdict(List<Problem> refused, List<Problem> warned) {}

  /** True when the CRD {@code spec} has a version {@code apiVersion} names. */
  private static boolean serves(JsonNode spec, String apiVersion) {
    String group = spec.path("group").asText();
    if (!apiVersion.startsWith(group + "/")) {
      return false;
    }
    String version = apiVersion.substring(group.length() + 1);
    for (JsonNode v : spec.path("versions")) {
      if (version.equals(v.path("name").asText())) {
        return true;
      }
    }
    return false;
  }
}
