package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gitops.diff.Change;
import dev.gitops.diff.DiffOptions;
import dev.gitops.diff.Differ;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.diff.Suppressed;
import dev.gitops.model.Content;
import dev.gitops.model.Observed;
import dev.gitops.model.ResourceId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test helper: diffs a manifest against a live object as {@code KubernetesTarget.read} would
 * observe it ({@link KubernetesTarget#observed}), with the Kubernetes preset.
 */
final class SchemaDiffs {
  private static final YAMLMapper YAML = new YAMLMapper();

  private SchemaDiffs() {}

  static ObjectNode yaml(String text) {
    try {
      return (ObjectNode) YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The diff of {@code manifest} against {@code live} (as the reader observes it). */
  static ResourceDiff diff(String manifest, String live) {
    return diff(KubernetesDiff.options(), yaml(manifest), yaml(live));
  }

  static ResourceDiff diff(DiffOptions options, JsonNode manifest, ObjectNode live) {
    Observed observed = KubernetesTarget.observed(live);
    ResourceId id = observed.id();
    return new Differ(options).diff(id, observed.resource().content(), Content.tree(manifest),
        observed.lastApplied());
  }

  /** {@code op path} of each change. */
  static List<String> changes(ResourceDiff d) {
    return d.changes().stream().map(c -> c.op().name().toLowerCase(java.util.Locale.ROOT) + " " + c.path())
        .toList();
  }

  /** Hidden counts by rule. */
  static Map<String, Integer> hidden(ResourceDiff d) {
    Map<String, Integer> out = new TreeMap<>();
    for (Suppressed s : d.suppressed()) {
      out.put(s.rule(), s.count());
    }
    return out;
  }

  static String show(ResourceDiff d) {
    return d + "\n" + d.explain();
  }

  static Change only(ResourceDiff d) {
    if (d.changes().size() != 1) {
      throw new AssertionError("one change expected: " + show(d));
    }
    return d.changes().get(0);
  }
}
