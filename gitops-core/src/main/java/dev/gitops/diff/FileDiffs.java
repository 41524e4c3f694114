package dev.gitops.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.gitops.diff.Change.Op;
import dev.gitops.internal.Digests;
import dev.gitops.model.Content;
import java.nio.charset.StandardCharsets;

/** Diffs file contents at {@code /content} and {@code /mode}. Not public API. */
final class FileDiffs {
  private FileDiffs() {}

  /** Records the differences between two files ({@code actual} null: absent) on {@code walk}. */
  public static void diff(Walk walk, Content.Bytes actual, Content.Bytes desired) {
    if (desired.equals(actual)) {
      return;
    }
    byte[] d = desired.data();
    byte[] a = actual == null ? null : actual.data();
    if (a == null || !java.util.Arrays.equals(a, d)) {
      boolean text = Digests.looksLikeText(d) && (a == null || Digests.looksLikeText(a));
      int prev = walk.push(0, "content", -1);
      walk.emit(a == null ? Op.ADD : Op.REPLACE, 1, a == null ? null : node(a, text), node(d, text));
      walk.pop(prev);
    }
    if (actual == null || !actual.mode().equals(desired.mode())) {
      int prev = walk.push(0, "mode", -1);
      walk.emit(actual == null ? Op.ADD : Op.REPLACE, 1,
          actual == null ? null : mode(actual), mode(desired));
      walk.pop(prev);
    }
  }

  /** The mode as a text node, e.g. {@code "0644"} or {@code "0640 root:adm"}. */
  public static JsonNode mode(Content.Bytes file) {
    return JsonNodeFactory.instance.textNode(file.mode().toString());
  }

  /** The bytes as a text node: UTF-8 text, or the {@code sha256:} digest when binary. */
  public static JsonNode node(byte[] data, boolean text) {
    return JsonNodeFactory.instance.textNode(
        text ? new String(data, StandardCharsets.UTF_8) : Digests.ofBytes(data));
  }
}
