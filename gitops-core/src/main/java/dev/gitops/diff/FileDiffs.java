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
    if (desired.isLarge() || actual != null && actual.isLarge()) {
      if (actual == null || actual.size() != desired.size() || !actual.sha256().equals(desired.sha256())) {
        int prev = walk.push(0, "content", -1);
        walk.emit(actual == null ? Op.ADD : Op.REPLACE, 1, actual == null ? null : node(actual), node(desired));
        walk.pop(prev);
      }
    } else {
      text(walk, actual, desired);
    }
    if (actual == null || !actual.mode().equals(desired.mode())) {
      int prev = walk.push(0, "mode", -1);
      walk.emit(actual == null ? Op.ADD : Op.REPLACE, 1,
          actual == null ? null : mode(actual), mode(desired));
      walk.pop(prev);
    }
  }

  private static void text(Walk walk, Content.Bytes actual, Content.Bytes desired) {
    byte[] d = desired.data();
    byte[] a = actual == null ? null : actual.data();
    if (a == null || !java.util.Arrays.equals(a, d)) {
      boolean text = Digests.looksLikeText(d) && (a == null || Digests.looksLikeText(a));
      int prev = walk.push(0, "content", -1);
      walk.emit(a == null ? Op.ADD : Op.REPLACE, 1, a == null ? null : node(a, text), node(d, text));
      walk.pop(prev);
    }
  }

  /** The mode as a text node, e.g. {@code "0644"} or {@code "0640 root:adm"}. */
  public static JsonNode mode(Content.Bytes file) {
    return JsonNodeFactory.instance.textNode(file.mode().toString());
  }

  /**
   * A file's content as a text node beside a large file: for a large one (over
   * {@link Content.Bytes#LARGE} bytes) its digest and size, {@code "sha256:<hex>, <n> bytes"}, its
   * bytes never read; for a small one its digest, as for any binary file.
   */
  public static JsonNode node(Content.Bytes file) {
    return file.isLarge() ? JsonNodeFactory.instance.textNode(large(file)) : node(file.data(), false);
  }

  /** {@code "sha256:<hex>, <n> bytes"}: how a plan shows a large file. */
  public static String large(Content.Bytes file) {
    return file.sha256() + ", " + file.size() + " bytes";
  }

  /** The bytes as a text node: UTF-8 text, or the {@code sha256:} digest when binary. */
  public static JsonNode node(byte[] data, boolean text) {
    return JsonNodeFactory.instance.textNode(
        text ? new String(data, StandardCharsets.UTF_8) : Digests.ofBytes(data));
  }
}
