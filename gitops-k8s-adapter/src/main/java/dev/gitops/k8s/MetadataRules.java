package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the API server requires of labels and annotations (apimachinery's validation of every
 * object's {@code metadata}, and of a workload's pod template), checked on load: a label value of 64
 * characters (a chart's release name run long), a key with a space or two slashes, or annotations
 * over 256 KiB are refused by the server with 422 at the write of their wave, after the earlier
 * waves were written; the fabric8 mock takes them. The rules, as the server applies them:
 *
 * <ul>
 *   <li>A label key, and an annotation key once lowercased, is a qualified name: an optional prefix
 *       (a DNS subdomain: lowercase letters, digits, {@code -} and {@code .}, at most 253) and
 *       {@code /}, then a name of 1 to 63 letters, digits, {@code -}, {@code _} and {@code .},
 *       beginning and ending with a letter or digit.
 *   <li>A label value is empty, or a name as above (at most 63).
 *   <li>An object's annotations, keys and values, hold at most 256 KiB.
 * </ul>
 *
 * Checked where the server checks them for every kind: {@code metadata}; and for built-in
 * workloads their pod template's ({@code spec.template.metadata}, a CronJob's
 * {@code spec.jobTemplate}'s and its template's). A custom resource's own fields named
 * {@code labels} are its CRD's to judge. Values that are not strings are {@link DecodedValues}'.
 */
final class MetadataRules {
  private static final int MAX_NAME = 63;
  private static final int MAX_PREFIX = 253;
  private static final int MAX_ANNOTATIONS = 256 * 1024;
  private static final String RULE = "1 to " + MAX_NAME + " letters, digits, '-', '_' and '.', beginning and ending"
      + " with a letter or digit";
  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private MetadataRules() {
  }

  /** Adds to {@code problems} what the server would refuse of the labels and annotations of {@code node}, a {@code group}/{@code kind}. */
  static void check(String group, String kind, JsonNode node, List<DecodedValues.Refusal> problems) {
    check(node.path("metadata"), "/metadata", problems);
    for (String at : templates(group, kind)) {
      check(node.at(at), at, problems);
    }
  }

  /**
   * Where a built-in workload keeps object metadata besides its own: beside each template on the
   * way to its pod spec ({@link PodRules#podSpec}), a CronJob's job template and its pod template.
   */
  static List<String> templates(String group, String kind) {
    String spec = PodRules.podSpec(group, kind);
    List<String> out = new java.util.ArrayList<>();
    if (spec != null) {
      StringBuilder at = new StringBuilder();
      for (String segment : Pointers.segments(spec)) {
        at.append('/').append(Pointers.escape(segment));
        if (segment.equals("template") || segment.equals("jobTemplate")) {
          out.add(at + "/metadata");
        }
      }
    }
    return out;
  }

  private static void check(JsonNode metadata, String pointer, List<DecodedValues.Refusal> problems) {
    for (Map.Entry<String, JsonNode> e : metadata.path("labels").properties()) {
      String key = e.getKey();
      String bad = qualifiedName(key);
      if (bad != null) {
        problems.add(labelRefusal(pointer, key, "key " + bad));
      } else if (e.getValue().isTextual() && (bad = labelValue(e.getValue().asText())) != null) {
        problems.add(labelRefusal(pointer, key, "value " + bad));
      }
    }
    long size = 0;
    String dotted = Pointers.dotted(pointer);
    for (Map.Entry<String, JsonNode> e : metadata.path("annotations").properties()) {
      String bad = qualifiedName(e.getKey().toLowerCase(java.util.Locale.ROOT));
      if (bad != null) {
        problems.add(new DecodedValues.Refusal(pointer + "/annotations/" + Pointers.escape(e.getKey()),
            dotted + ".annotations[" + Names.quote(e.getKey()) + "]: the key " + bad));
      }
      size += e.getKey().getBytes(StandardCharsets.UTF_8).length
          + (e.getValue().isTextual() ? e.getValue().asText().getBytes(StandardCharsets.UTF_8).length : 0);
    }
    if (size > MAX_ANNOTATIONS) {
      problems.add(new DecodedValues.Refusal(pointer + "/annotations", dotted + ".annotations: " + size
          + " bytes in all, the API server takes at most " + MAX_ANNOTATIONS + " (256 KiB) and refuses the object;"
          + " keep large values out of annotations"));
    }
  }

  /** The refusal of label {@code key} of the metadata at {@code pointer}: {@code what} is wrong with it. */
  private static DecodedValues.Refusal labelRefusal(String pointer, String key, String what) {
    return new DecodedValues.Refusal(pointer + "/labels/" + Pointers.escape(key),
        Pointers.dotted(pointer) + ".labels[" + Names.quote(key) + "]: the " + what);
  }

  /** Why {@code key} is not a qualified name, or null. */
  static String qualifiedName(String key) {
    int slash = key.indexOf('/');
    int name = key.length() - slash - 1; // the name's length: it starts after the slash, if any
    if (slash >= 0 && (slash == 0 || slash > MAX_PREFIX || !Names.SUBDOMAIN.matcher(key).region(0, slash).matches())
        || name == 0 || name > MAX_NAME || !NAME.matcher(key).region(slash + 1, key.length()).matches()) {
      return Names.quote(key) + length(key) + " is not a qualified name (an optional prefix, a DNS subdomain of"
          + " lowercase letters, digits, '-' and '.' at most " + MAX_PREFIX + " long, and '/'; then " + RULE
          + "): the API server refuses the object";
    }
    return null;
  }

  /** Why {@code value} is not a label value, or null. */
  static String labelValue(String value) {
    return value.isEmpty() || value.length() <= MAX_NAME && NAME.matcher(value).matches() ? null
        : Names.quote(value) + length(value) + " is not a label value (empty, or " + RULE
            + "): the API server refuses the object";
  }

  private static String length(String text) {
    return text.length() > MAX_NAME ? " (" + text.length() + " characters)" : "";
  }
}
