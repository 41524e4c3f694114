package dev.gitops.diff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.gitops.internal.Digests;
import dev.gitops.internal.SortedJson;
import dev.gitops.internal.diff.Redactor;
import dev.gitops.model.Content;
import dev.gitops.model.ResourceId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Prints diffs for people and machines: a unified text diff of both sides, and an RFC 6902 JSON
 * Patch. Every text rendering masks sensitive values as {@code *** (changed)} or
 * {@code *** (unchanged)}: the values never reach the output. Stateless and thread-safe.
 */
public final class DiffRenderer {
  private static final ObjectMapper JSON = new ObjectMapper(SortedJson.factory());

  private DiffRenderer() {}

  /**
   * A unified diff ({@code ---}/{@code +++} headers, {@code @@} hunks) between the actual and the
   * desired side, {@code ""} when nothing differs. Trees print as YAML with sorted keys, normalised
   * by {@code options}, ignored paths left out (and, in {@link DiffOptions.Mode#DESIRED_SUBSET},
   * actual-only fields that are not drift); text files print as their lines; binary files as one
   * line with both digests. A mode change prints as a {@code mode 0644 -> 0755} line. A file's
   * ignore rules hide {@code /content} or {@code /mode} here as in the diff.
   *
   * @param id the resource, named in the {@code ---}/{@code +++} headers and used to pick its rules
   * @param actual the actual content, or null when absent
   * @param desired the desired content
   * @param diff the diff of these sides (its removals are kept in subset views)
   * @param options the options the diff was made with
   * @return the unified diff text; {@code ""} when nothing differs
   */
  public static String unified(ResourceId id, Content actual, Content desired, ResourceDiff diff,
                               DiffOptions options) {
    Objects.requireNonNull(desired, "desired");
    Rules rules = new Rules(options);
    Set<String> removals = new HashSet<>();
    for (Change c : diff.changes()) {
      if (c.op() == Change.Op.REMOVE) {
        removals.add(c.path());
      }
    }
    SideViews views = new SideViews(rules.ignoredFor(id), rules.sensitiveFor(id), rules.mergeKeys(),
        options.mode() == DiffOptions.Mode.DESIRED_SUBSET, removals);
    String from = id + " (actual)";
    String to = id + " (desired)";
    if (desired instanceof Content.Bytes file) {
      return file(from, to, (Content.Bytes) actual, file, views);
    }
    Differ differ = new Differ(options);
    JsonNode d = differ.normalize(id, ((Content.Tree) desired).node());
    JsonNode a = actual == null ? null : differ.normalize(id, ((Content.Tree) actual).node());
    List<String> before = a == null ? List.of() : Unified.yaml(views.actualView(a, d));
    List<String> after = Unified.yaml(views.desiredView(d, a));
    return Unified.diff(from, to, before, after, List.of());
  }

  private static String file(String from, String to, Content.Bytes actual, Content.Bytes desired,
                             SideViews views) {
    List<String> notes = new ArrayList<>();
    if (actual != null && !actual.mode().equals(desired.mode()) && !views.ignoredAt(List.of("mode"))) {
      notes.add("mode " + actual.mode() + " -> " + desired.mode());
    }
    if (desired.isLarge() || actual != null && actual.isLarge()) {
      return large(from, to, actual, desired, views, notes);
    }
    byte[] d = desired.data();
    byte[] a = actual == null ? new byte[0] : actual.data();
    boolean same = actual != null && Arrays.equals(a, d);
    if (views.ignoredAt(List.of("content"))) {
      return Unified.diff(from, to, List.of(), List.of(), notes);
    }
    if (views.sensitiveAt(List.of("content"))) {
      String mask = same ? Redactor.UNCHANGED : Redactor.CHANGED;
      return Unified.diff(from, to, actual == null ? List.of() : List.of(mask), List.of(mask), notes);
    }
    if (!Digests.looksLikeText(d) || !Digests.looksLikeText(a)) {
      if (!same) {
        notes.add("binary " + (actual == null ? "(absent)" : Digests.ofBytes(a)) + " -> " + Digests.ofBytes(d));
      }
      return Unified.diff(from, to, List.of(), List.of(), notes);
    }
    return Unified.diff(from, to, Unified.lines(new String(a, StandardCharsets.UTF_8)),
        Unified.lines(new String(d, StandardCharsets.UTF_8)), notes);
  }

  /** A file diff where a side is large: size and digest of each side, never their bytes. */
  private static String large(String from, String to, Content.Bytes actual, Content.Bytes desired,
                              SideViews views, List<String> notes) {
    boolean same = actual != null && actual.size() == desired.size() && actual.sha256().equals(desired.sha256());
    if (views.ignoredAt(List.of("content"))) {
      return Unified.diff(from, to, List.of(), List.of(), notes);
    }
    if (views.sensitiveAt(List.of("content"))) {
      String mask = same ? Redactor.UNCHANGED : Redactor.CHANGED;
      return Unified.diff(from, to, actual == null ? List.of() : List.of(mask), List.of(mask), notes);
    }
    if (!same) {
      notes.add("binary " + (actual == null ? "(absent)" : FileDiffs.node(actual).asText()) + " -> "
          + FileDiffs.node(desired).asText());
    }
    return Unified.diff(from, to, List.of(), List.of(), notes);
  }

  /**
   * The diff as an RFC 6902 JSON Patch ({@code add}, {@code replace}, {@code remove}): applied to
   * the actual tree it gives the desired tree, in {@link DiffOptions.Mode#EXACT} mode without
   * ignore rules (and with merge-keyed lists in desired order up to their order, which is not
   * drift). Adds and replaces come first in path order, then removes from the highest index down.
   *
   * <p>This is for applying: it carries sensitive values unmasked. Print {@link #jsonPatchText}.
   *
   * @param diff the diff to turn into a patch
   * @return a new JSON array of patch operations, empty when nothing differs
   */
  public static ArrayNode jsonPatch(ResourceDiff diff) {
    return Patches.of(diff.changes(), null);
  }

  /**
   * {@link #jsonPatch} for people: safe to print or log.
   *
   * @param diff the diff to show
   * @return the patch as indented JSON text, every sensitive value masked as {@code *** (changed)}
   */
  public static String jsonPatchText(ResourceDiff diff) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(Patches.of(diff.changes(), Redactor.CHANGED));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }
}
