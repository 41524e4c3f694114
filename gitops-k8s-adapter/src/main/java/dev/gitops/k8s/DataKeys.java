package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the API server requires of a ConfigMap's and a Secret's keys and size, checked on load:
 * such an object is refused with 422 at the write of its wave, after the earlier waves were
 * written, and the fabric8 mock takes it. From the API server's validation:
 *
 * <ul>
 *   <li>A key of {@code data}, {@code binaryData} or {@code stringData} has 1 to 253 letters,
 *       digits, {@code -}, {@code _} and {@code .}, is not {@code .} or {@code ..} and does not
 *       begin with {@code ..}: keys name the files of a mounted volume ({@code conf/app.yaml} is
 *       refused).
 *   <li>A ConfigMap's key stands in {@code data} or {@code binaryData}, not both.
 *   <li>The values hold at most 1 MiB in all (a Secret's {@code data} counted decoded).
 * </ul>
 */
final class DataKeys {
  private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]+");
  private static final int MAX_KEY = 253;
  private static final int MAX_SIZE = 1024 * 1024;

  private DataKeys() {
  }

  /** Adds to {@code problems} what the server would refuse of {@code node}'s keys and size, a {@code group}/{@code kind}. */
  static void check(String group, String kind, JsonNode node, List<DecodedValues.Refusal> problems) {
    if (!group.isEmpty() || !(kind.equals("ConfigMap") || kind.equals("Secret"))) {
      return;
    }
    long size = 0;
    Set<String> keys = new HashSet<>();
    for (String field : kind.equals("ConfigMap") ? List.of("data", "binaryData") : List.of("data", "stringData")) {
      for (Map.Entry<String, JsonNode> e : node.path(field).properties()) {
        String key = e.getKey();
        String at = "/" + field + "/" + Pointers.escape(key);
        String shown = field + "[" + Names.quote(key) + "]";
        if (key.isEmpty() || key.length() > MAX_KEY || !KEY.matcher(key).matches() || key.startsWith("..")
            || key.equals(".")) {
          problems.add(new DecodedValues.Refusal(at, shown + ": not a valid key (1 to " + MAX_KEY + " letters, digits,"
              + " '-', '_' and '.', not '.' nor beginning with '..'; keys name the files of a mounted volume): the API"
              + " server refuses the object"));
        } else if (!keys.add(key) && kind.equals("ConfigMap")) {
          problems.add(new DecodedValues.Refusal(at, shown + ": the key is in data too; a key stands in one of them:"
              + " the API server refuses the object"));
        }
        size += size(field.equals("binaryData") || kind.equals("Secret") && field.equals("data"), e.getValue());
      }
    }
    if (size > MAX_SIZE) {
      problems.add(new DecodedValues.Refusal("", kind + " values of " + size + " bytes in all: the API server takes at"
          + " most " + MAX_SIZE + " (1 MiB) and refuses the object; keep large files out of " + kind + "s"));
    }
  }

  /** The bytes {@code value} holds: base64 counted decoded, text as UTF-8; 0 for what is not text. */
  private static long size(boolean base64, JsonNode value) {
    if (!value.isTextual()) {
      return 0;
    }
    String text = value.asText();
    if (!base64) {
      return text.getBytes(StandardCharsets.UTF_8).length;
    }
    int padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
    return Math.max(0, text.replaceAll("\\s", "").length() * 3L / 4 - padding);
  }
}
