package dev.gitops.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.diff.Change;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.model.Content;
import dev.gitops.model.Resource;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.model.ResourceId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Makes text safe for a log line: the values of Secrets (and of every field a plan marks sensitive)
 * are masked, a URL's user and password are masked, and control characters are escaped so that a
 * resource name cannot forge a line ({@code \n}, {@code \u001b}, ...). Immutable.
 */
final class LogText {
  /** Masks no value; still masks URL credentials and escapes. */
  static final LogText NONE = new LogText(List.of());
  static final String MASK = "***";
  /** Values shorter than this are not searched for: masking "a" would mask every "a". */
  private static final int SHORTEST = 4;
  private static final Pattern URL_CREDENTIALS = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s]+@");

  private final List<String> secrets;

  private LogText(List<String> secrets) {
    this.secrets = secrets;
  }

  /** Masking the values of the Secrets in {@code plan} and of its sensitive changes. */
  static LogText masking(Plan plan) {
    Set<String> found = new LinkedHashSet<>();
    for (Action a : plan.actions()) {
      Resource desired = a instanceof Action.Create c ? c.desired()
          : a instanceof Action.Update u ? u.desired() : a instanceof Action.Adopt ad ? ad.desired() : null;
      if (desired != null && "Secret".equals(desired.id().kind()) && desired.id().group().isEmpty()
          && desired.content() instanceof Content.Tree t) {
        collect(t.node().path("data"), true, found);
        collect(t.node().path("stringData"), false, found);
      }
      ResourceDiff diff = a instanceof Action.Update u ? u.diff() : a instanceof Action.Adopt ad ? ad.diff()
          : a instanceof Action.NoOp n ? n.diff() : null;
      if (diff != null) {
        for (Change c : diff.changes()) {
          if (c.sensitive()) {
            collect(c.before(), false, found);
            collect(c.after(), false, found);
          }
        }
      }
    }
    return found.isEmpty() ? NONE : new LogText(sorted(found));
  }

  /** These masks and {@code other}'s. */
  LogText and(LogText other) {
    if (other.secrets.isEmpty()) {
      return this;
    }
    Set<String> all = new LinkedHashSet<>(secrets);
    all.addAll(other.secrets);
    return new LogText(sorted(all));
  }

  /**
   * {@code text} with secret values and URL credentials masked and control characters escaped.
   *
   * @param text any text, null prints as {@code null}
   * @return one line, safe to log
   */
  String escape(String text) {
    if (text == null) {
      return "null";
    }
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, MASK);
    }
    out = URL_CREDENTIALS.matcher(out).replaceAll("$1" + MASK + "@");
    return ResourceId.escape(out);
  }

  /**
   * A resource id as {@link ResourceId#toString()} prints it (already escaped, so not escaped
   * twice), with secret values masked.
   *
   * @param id the id
   * @return one line, safe to log
   */
  String id(ResourceId id) {
    String out = id.toString();
    for (String s : secrets) {
      out = out.replace(s, MASK);
    }
    return out;
  }

  /** Longest first, so that a value containing another is masked whole. */
  private static List<String> sorted(Set<String> values) {
    List<String> out = new ArrayList<>(values);
    out.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
    return List.copyOf(out);
  }

  /** Every text value under {@code node} (and, for base64 {@code data}, what it decodes to). */
  private static void collect(JsonNode node, boolean base64, Set<String> into) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return;
    }
    if (node.isContainerNode()) {
      node.forEach(child -> collect(child, base64, into));
      return;
    }
    String value = node.asText();
    add(value, into);
    if (base64) {
      try {
        add(new String(Base64.getMimeDecoder().decode(value), StandardCharsets.UTF_8), into);
      } catch (IllegalArgumentException notBase64) {
        // kept as written
      }
    }
  }

  private static void add(String value, Set<String> into) {
    if (value.length() >= SHORTEST) {
      into.add(value);
      value.lines().filter(l -> l.strip().length() >= SHORTEST).map(String::strip).forEach(into::add);
    }
  }
}
