package dev.gitops.diff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.algorithm.DiffAlgorithmListener;
import com.github.difflib.algorithm.myers.MyersDiff;
import com.github.difflib.patch.ChangeDelta;
import com.github.difflib.patch.Chunk;
import com.github.difflib.patch.DeleteDelta;
import com.github.difflib.patch.InsertDelta;
import com.github.difflib.patch.Patch;
import dev.gitops.internal.Printable;
import dev.gitops.internal.SortedJson;
import dev.gitops.internal.diff.Redactor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * Unified text diffs with java-diff-utils, and YAML lines of trees. Not public API.
 *
 * <p>Myers' algorithm takes time growing with the lines times the edits between them (and its
 * java-diff-utils form as much memory): two texts of 85,000 lines that differ on every line (a
 * ConfigMap of 1 MiB rewritten) ran for minutes and filled the heap. Past {@link #WORK} steps, or
 * {@link #MAX_EDITS} edits, the lines between the common head and tail are shown as removed, then
 * added, with a note saying so, as GNU diff (under {@code kubectl diff}) gives up on a minimal
 * diff when it grows too costly: time and memory stay in proportion to the texts.
 */
final class Unified {
  /** Edits past which Myers' search stops: its memory grows with their square. */
  static final int MAX_EDITS = 1_000;
  /** Lines compared times edits tried, past which Myers' search stops. */
  static final long WORK = 50_000_000L;
  /** The note of a diff whose middle is shown whole. */
  static final String WHOLE = "(too many lines differ to match them one by one: the lines between the first and the last"
      + " change are shown removed, then added)";
  private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder().streamWriteConstraints(SortedJson.WRITE)
          .build())
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
   * never compare equal, so a masked change still shows as a removed and an added line. A line's
   * characters that print nothing, move text or pass for a space (a carriage return, an escape, a
   * zero-width joiner, a direction override) print escaped ({@link Printable#escapeHidden}); tabs
   * and backslashes as they are.
   *
   * @param notes lines printed after the header, before the hunks (e.g. a mode change)
   */
  public static String diff(String from, String to, List<String> a, List<String> b, List<String> notes) {
    BiPredicate<String, String> same = (x, y) -> x.equals(y) && !x.contains(Redactor.CHANGED);
    Patch<String> patch = myers(a, b, same);
    boolean whole = patch == null;
    patch = whole ? whole(a, b, same) : patch;
    if (patch.getDeltas().isEmpty() && notes.isEmpty()) {
      return "";
    }
    List<String> out = new ArrayList<>();
    out.add("--- " + from);
    out.add("+++ " + to);
    out.addAll(notes);
    if (whole) {
      out.add(WHOLE);
    }
    List<String> generated = UnifiedDiffUtils.generateUnifiedDiff(from, to, a, patch, 3);
    for (String line : generated) {
      if (!line.startsWith("--- ") && !line.startsWith("+++ ")) {
        // java-diff-utils numbers an empty original from 1; unified diffs say -0,0 (as GNU diff does).
        out.add(a.isEmpty() && line.startsWith("@@ -1,0 ") ? "@@ -0,0 " + line.substring(8) : Printable.escapeHidden(line));
      }
    }
    return String.join("\n", out) + "\n";
  }

  /** Thrown (never filled in) when Myers' search passes its bounds. */
  private static final RuntimeException TOO_COSTLY = new RuntimeException("too costly", null, false, false) { };

  /** Myers' diff of {@code a} and {@code b}, or null when it would pass {@link #MAX_EDITS} or {@link #WORK}. */
  private static Patch<String> myers(List<String> a, List<String> b, BiPredicate<String, String> same) {
    long lines = (long) a.size() + b.size();
    long edits = Math.min(MAX_EDITS, WORK / Math.max(lines, 1));
    DiffAlgorithmListener bound = new DiffAlgorithmListener() {
      @Override
      public void diffStart() {}

      @Override
      public void diffStep(int step, int max) {
        if (step > edits) {
          throw TOO_COSTLY;
        }
      }

      @Override
      public void diffEnd() {}
    };
    try {
      return DiffUtils.diff(a, b, new MyersDiff<>(same), bound);
    } catch (RuntimeException e) {
      if (e == TOO_COSTLY) {
        return null;
      }
      throw e;
    }
  }

  /** One change: the lines between the common head and the common tail of {@code a} and {@code b}. */
  private static Patch<String> whole(List<String> a, List<String> b, BiPredicate<String, String> same) {
    int head = 0;
    while (head < a.size() && head < b.size() && same.test(a.get(head), b.get(head))) {
      head++;
    }
    int tail = 0;
    while (tail < a.size() - head && tail < b.size() - head
        && same.test(a.get(a.size() - 1 - tail), b.get(b.size() - 1 - tail))) {
      tail++;
    }
    Chunk<String> removed = new Chunk<>(head, a.subList(head, a.size() - tail));
    Chunk<String> added = new Chunk<>(head, b.subList(head, b.size() - tail));
    Patch<String> patch = new Patch<>();
    if (removed.size() > 0 || added.size() > 0) {
      patch.addDelta(added.size() == 0 ? new DeleteDelta<>(removed, added)
          : removed.size() == 0 ? new InsertDelta<>(removed, added) : new ChangeDelta<>(removed, added));
    }
    return patch;
  }
}
