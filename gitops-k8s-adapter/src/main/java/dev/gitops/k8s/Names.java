package dev.gitops.k8s;

/**
 * What Kubernetes accepts as an object's name and namespace, checked on load so that a bad name is
 * a problem with file and line rather than a failed request half-way through an apply, and names
 * printed escaped so that a control character in Git cannot rewrite what a reviewer reads.
 */
final class Names {
  private static final int MAX_NAME = 253;
  private static final int MAX_NAMESPACE = 63;

  private Names() {}

  /**
   * Why Kubernetes would refuse {@code name} as {@code metadata.name} of any kind, or null when it
   * would not: every name is one URL path segment ({@code /}, {@code %}, {@code .} and {@code ..}
   * are refused by the API server) of at most 253 printable ASCII characters.
   */
  public static String nameProblem(String name) {
    if (name.equals(".") || name.equals("..")) {
      return "metadata.name may not be '" + name + "'";
    }
    if (name.indexOf('/') >= 0 || name.indexOf('%') >= 0) {
      return "metadata.name " + quote(name) + " may not contain '/' or '%' (a Kubernetes name is one"
          + " path segment)";
    }
    if (name.length() > MAX_NAME) {
      return "metadata.name is " + name.length() + " characters long (at most " + MAX_NAME + ")";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        return "metadata.name " + quote(name) + " may hold only printable ASCII characters";
      }
    }
    return null;
  }

  /** Compiled once: a loader checks every document's kind and namespace. */
  private static final java.util.regex.Pattern KIND = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9]*");
  private static final java.util.regex.Pattern LABEL =
      java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  /** Why {@code kind} is not a kind (a letter, then letters and digits, at most 63), or null. */
  public static String kindProblem(String kind) {
    return kind.length() <= MAX_NAMESPACE && KIND.matcher(kind).matches() ? null
        : "kind " + quote(kind) + " is not a kind (a letter, then letters and digits)";
  }

  /**
   * Why {@code namespace} is not a namespace's name (an RFC 1123 label: at most 63 lowercase
   * letters, digits and '-', starting and ending with a letter or digit), or null.
   */
  public static String namespaceProblem(String namespace) {
    if (namespace.isEmpty()) {
      return null;
    }
    boolean ok = namespace.length() <= MAX_NAMESPACE
        && LABEL.matcher(namespace).matches();
    return ok ? null : "metadata.namespace " + quote(namespace) + " is not a valid namespace (at most "
        + MAX_NAMESPACE + " lowercase letters, digits and '-', starting and ending with a letter or digit)";
  }

  /** {@code text} as it is when it is printable ASCII without quotes or spaces, else {@link #quote quoted}. */
  public static String printable(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == '"' || c == '\\') {
        return quote(text);
      }
    }
    return text.isEmpty() ? quote(text) : text;
  }

  /**
   * {@code text} in double quotes with {@code "} and {@code \} escaped and every control or
   * non-ASCII character written as an escape ({@code \n}, {@code \t}, {@code \x1b}, {@code \u00e9}).
   */
  public static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
          } else if (c > 0x7e) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
