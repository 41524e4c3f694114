package dev.gitops.diff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import dev.gitops.internal.diff.Redactor;
import java.util.ArrayList;
import java.util.List;

/** Unified text diffs with java-diff-utils, and YAML lines of trees. Not public API. */
final class Unified {
  private static final YAMLMapper YAML = YAMLMapper.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .build();

  private Unified() {}

  /** The YAML lines of {@code tree} as it is ordered; none for null. */
  public static List<String> yaml(JsonNode tree) {
    if (tree == null) {
      return List.of();
    }
    try {
      return lines(YAML.writeValueAsString(tree));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises as YAML", e);
    }
  }

  /** Lines of {@code text} without the empty string after a final newline. */
  public static List<String> lines(String text) {
    List<String> out = new ArrayList<>(List.of(text.split("\n", -1)));
    if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  /**
   * A unified diff, {@code ""} when there is nothing to show. Lines holding {@link Redactor#CHANGED}
   * never compare equal, so a masked change still shows as a removed and an added line.
   *
   * @param notes lines printed after the header, before the hunks (e.g. a mode change)
   */
  public static String diff(String from, String to, List<String> a, List<String> b, List<String> notes) {
    Patch<String> patch = DiffUtils.diff(a, b, (x, y) -> x.equals(y) && !x.contains(Redactor.CHANGED));
    if (patch.getDeltas().isEmpty() && notes.isEmpty()) {
      return "";
    }
    List<String> out = new ArrayList<>();
    out.add("--- " + from);
    out.add("+++ " + to);
    out.addAll(notes);
    List<String> generated = UnifiedDiffUtils.generateUnifiedDiff(from, to, a, patch, 3);
    for (String line : generated) {
      if (!line.startsWith("--- ") && !line.startsWith("+++ ")) {
        // java-diff-utils numbers an empty original from 1; unified diffs say -0,0 (as GNU diff does).
        out.add(a.isEmpty() && line.startsWith("@@ -1,0 ") ? "@@ -0,0 " + line.substring(8) : line);
      }
    }
    return String.join("\n", out) + "\n";
  }
}
