package dev.gitops.model;

import static java.util.Objects.requireNonNullElse;

import dev.gitops.internal.Checks;
import dev.gitops.internal.Printable;
import dev.gitops.internal.tune.Tuning;
import java.util.Set;

/**
 * The identity of one resource on a target: API group, kind, namespace and name.
 *
 * <p>An id prints one way everywhere (plans, logs, errors, JSON): {@code Kind/namespace/name}
 * with the group in front when there is one — {@code apps/Deployment/default/web},
 * {@code Service/default/web}, {@code Namespace//monitoring}, {@code File//etc/app.conf}.
 * Control characters, backslashes, line separators, Unicode direction overrides and every character
 * that prints nothing or passes for a space print escaped ({@link #escape(String)}: {@code \n},
 * {@code \x1b}, <code>&#92;u202e</code>, <code>&#92;u200d</code>, {@code \\}), so that no name can
 * rewrite the lines of a plan, a log or an error on a terminal, nor pass for another name.
 * {@link #parse(String)} reads that form back. To keep that round trip exact, a group must be empty,
 * contain a dot (as every CRD group does), or be one of Kubernetes' dotless built-in groups
 * ({@link #DOTLESS_GROUPS}); group, kind and namespace may not contain {@code /}. Names may.
 *
 * <p>Ids sort by kind, namespace, name, then group. Immutable and thread-safe.
 *
 * @param group API group, {@code ""} for none (never null after construction)
 * @param kind kind, never blank
 * @param namespace namespace, {@code ""} for cluster-scoped resources and files
 * @param name name (a relative path for files), never blank
 */
public record ResourceId(String group, String kind, String namespace, String name)
    implements Comparable<ResourceId> {

  /** Kubernetes' built-in API groups whose names have no dot. */
  public static final Set<String> DOTLESS_GROUPS =
      Set.of("apps", "batch", "policy", "autoscaling", "extensions");

  /** The kind of file resources (see {@link #file(String)}). */
  public static final String FILE_KIND = "File";

  /**
   * Validates; a null group or namespace becomes {@code ""}.
   *
   * @param group API group: null, {@code ""}, a dotted name or one of {@link #DOTLESS_GROUPS}
   * @param kind kind; not blank, no {@code /} nor {@code .}
   * @param namespace namespace; null or {@code ""} when cluster-scoped, no {@code /}
   * @param name name or relative file path; not blank
   * @throws IllegalArgumentException when a part breaks these rules, naming it
   */
  public ResourceId {
    group = Tuning.name(requireNonNullElse(group, ""));
    namespace = Tuning.name(requireNonNullElse(namespace, ""));
    kind = Tuning.name(Checks.notBlank(kind, "kind"));
    Checks.notBlank(name, "name");
    if (group.contains("/") || kind.contains("/") || namespace.contains("/")) {
      throw new IllegalArgumentException("group, kind and namespace may not contain '/': "
          + escape(group) + " " + escape(kind) + " " + escape(namespace));
    }
    if (kind.contains(".") || DOTLESS_GROUPS.contains(kind)) {
      throw new IllegalArgumentException("kind may not contain '.' nor be a group name: " + escape(kind));
    }
    if (!group.isEmpty() && !group.contains(".") && !DOTLESS_GROUPS.contains(group)) {
      throw new IllegalArgumentException("group must be empty, contain a dot, or be one of "
          + DOTLESS_GROUPS + ": " + escape(group));
    }
  }

  /**
   * An id in the core (empty) group.
   *
   * @param kind kind such as {@code Service}; not blank
   * @param namespace namespace, {@code ""} when cluster-scoped
   * @param name the resource's name; not blank
   * @return the id, printed {@code Kind/namespace/name}
   */
  public static ResourceId of(String kind, String namespace, String name) {
    return new ResourceId("", kind, namespace, name);
  }

  /**
   * The id of a file at {@code path}, relative to the target's root.
   *
   * @param path relative, {@code /}-separated path such as {@code etc/app.conf}; not blank
   * @return the id, printed {@code File//path}
   */
  public static ResourceId file(String path) {
    return new ResourceId("", FILE_KIND, "", path);
  }

  /**
   * Reads the printed form back: {@code [group/]Kind/namespace/name}.
   *
   * @param text an id as {@link #toString()} prints it, e.g. {@code apps/Deployment/default/web}
   * @return the id that prints as {@code text}
   * @throws IllegalArgumentException when {@code text} is not such a form
   */
  public static ResourceId parse(String text) {
    String[] head = text.split("/", 2);
    if (head.length == 2 && (head[0].contains(".") || DOTLESS_GROUPS.contains(head[0]))) {
      return parseUngrouped(head[0], head[1], text);
    }
    return parseUngrouped("", text, text);
  }

  private static ResourceId parseUngrouped(String group, String rest, String text) {
    String[] parts = rest.split("/", 3);
    if (parts.length != 3) {
      throw new IllegalArgumentException("not a resource id (want [group/]Kind/namespace/name): " + escape(text));
    }
    return new ResourceId(unescape(group), unescape(parts[0]), unescape(parts[1]), unescape(parts[2]));
  }

  /**
   * {@code text} safe to print, by the one rule of every name the library prints: backslash as
   * {@code \\}, newline, carriage return and tab as {@code \n}, {@code \r}, {@code \t}, other
   * control characters (C0, DEL, C1) as {@code \xHH}, and every other character that prints nothing,
   * moves the text around it or passes for a space as <code>&#92;uHHHH</code> (the no-break space as
   * <code>&#92;u00a0</code>, the soft hyphen as <code>&#92;u00ad</code>): format characters (zero-width space and
   * joiners, direction marks, overrides and isolates, byte order mark, tag characters), Unicode's
   * default-ignorable characters (variation selectors, Hangul fillers, combining grapheme joiner),
   * line and paragraph separators, spaces other than U+0020, private-use and unassigned code points
   * and unpaired surrogates. A character beyond U+FFFF prints as the <code>&#92;uHHHH</code> of each
   * of its UTF-16 units (U+E0001 as <code>&#92;udb40&#92;udc01</code>). Everything else prints as it
   * is; the same text comes out when nothing needs escaping. Two different texts never print alike,
   * and {@link #unescape(String)} reads the printed form back.
   *
   * @param text any text, such as a file name or a resource name; not null
   * @return {@code text} with every character that a terminal could act on, or that prints nothing, escaped
   */
  public static String escape(String text) {
    return Printable.escape(text);
  }

  /**
   * Undoes {@link #escape(String)}; a backslash that starts no escape is kept as it is.
   *
   * @param text escaped text; not null
   * @return the text as it was before {@link #escape(String)}
   */
  public static String unescape(String text) {
    int at = text.indexOf('\\');
    if (at < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length()).append(text, 0, at);
    for (int i = at; i < text.length(); i++) {
      char c = text.charAt(i);
      char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
      int hex = next == 'x' ? 2 : next == 'u' ? 4 : 0;
      if (c != '\\') {
        out.append(c);
      } else if (next == '\\' || next == 'n' || next == 'r' || next == 't') {
        out.append(next == 'n' ? '\n' : next == 'r' ? '\r' : next == 't' ? '\t' : '\\');
        i++;
      } else if (hex > 0 && i + 2 + hex <= text.length() && text.substring(i + 2, i + 2 + hex).matches("[0-9a-f]+")) {
        out.append((char) Integer.parseInt(text.substring(i + 2, i + 2 + hex), 16));
        i += 1 + hex;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** {@return true when this id names a file: kind {@value #FILE_KIND} in the empty group} */
  public boolean isFile() {
    return FILE_KIND.equals(kind) && group.isEmpty();
  }

  /**
   * This id with another name.
   *
   * @param newName the name; not blank
   * @return a copy with the same group, kind and namespace
   */
  public ResourceId withName(String newName) {
    return new ResourceId(group, kind, namespace, newName);
  }

  @Override
  public int compareTo(ResourceId other) {
    // Kind, namespace, name, then group; spelled out (no comparator chain): plans compare ids of
    // both states once per resource.
    int c = compare(kind, other.kind);
    if (c == 0) {
      c = compare(namespace, other.namespace);
      if (c == 0) {
        c = compare(name, other.name);
        if (c == 0) {
          c = compare(group, other.group);
        }
      }
    }
    return c;
  }

  private static int compare(String a, String b) {
    return a == b ? 0 : a.compareTo(b);
  }

  /** {@code [group/]Kind/namespace/name}, each part {@linkplain #escape(String) escaped}. */
  @Override
  public String toString() {
    return (group.isEmpty() ? "" : escape(group) + "/") + escape(kind) + "/" + escape(namespace) + "/" + escape(name);
  }
}
