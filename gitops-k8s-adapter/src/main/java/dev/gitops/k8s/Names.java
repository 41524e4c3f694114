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

  /** DNS-1123 subdomain: lowercase alphanumerics, '-' and '.', alphanumeric at both ends of each part. */
  static final java.util.regex.Pattern SUBDOMAIN =
      java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final java.util.regex.Pattern DNS1035 = java.util.regex.Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  /**
   * Built-in kinds whose names the API server holds to a DNS subdomain ({@code group/Kind}); the
   * others hold their own rule below, and RBAC kinds and PersistentVolumes only a path segment's.
   */
  private static final java.util.Set<String> SUBDOMAIN_NAMED = java.util.Set.of("/ConfigMap", "/Secret",
      "/ServiceAccount", "/Pod", "/PodTemplate", "/ReplicationController", "/Endpoints", "/PersistentVolumeClaim",
      "/LimitRange", "/ResourceQuota", "apps/Deployment", "apps/ReplicaSet", "apps/DaemonSet", "apps/StatefulSet",
      "batch/Job", "batch/CronJob", "networking.k8s.io/Ingress", "networking.k8s.io/IngressClass",
      "networking.k8s.io/NetworkPolicy", "policy/PodDisruptionBudget", "autoscaling/HorizontalPodAutoscaler",
      "storage.k8s.io/StorageClass", "scheduling.k8s.io/PriorityClass", "coordination.k8s.io/Lease",
      "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
      "admissionregistration.k8s.io/MutatingWebhookConfiguration");
  private static final int MAX_CRONJOB_NAME = 52;

  /**
   * Why the API server would refuse {@code name} as the name of a {@code group}/{@code kind} by
   * that kind's own rule (beyond {@link #nameProblem}), or null: a DNS subdomain for most built-in
   * kinds (lowercase: {@code myApp} is refused), an RFC 1035 label for a Service (it becomes a DNS
   * name: it begins with a letter, at most 63), an RFC 1123 label for a Namespace, at most 52
   * characters for a CronJob (its Jobs' names add 11). Custom resources and kinds not listed are
   * left to their server.
   */
  public static String kindNameProblem(String group, String kind, String name) {
    String key = group + "/" + kind;
    if (key.equals("/Service")) {
      return name.length() <= MAX_NAMESPACE && DNS1035.matcher(name).matches() ? null
          : "metadata.name " + quote(name) + " is not a valid Service name (an RFC 1035 label: at most "
              + MAX_NAMESPACE + " lowercase letters, digits and '-', beginning with a letter and ending with a letter"
              + " or digit); the API server refuses it";
    }
    if (key.equals("/Namespace")) {
      String bad = namespaceProblem(name);
      return bad == null ? null : bad.replace("metadata.namespace", "metadata.name") + "; the API server refuses it";
    }
    if (!SUBDOMAIN_NAMED.contains(key)) {
      return null;
    }
    if (name.length() > MAX_NAME || !SUBDOMAIN.matcher(name).matches()) {
      return "metadata.name " + quote(name) + " is not a valid " + kind + " name (a DNS subdomain: at most " + MAX_NAME
          + " lowercase letters, digits, '-' and '.', beginning and ending with a letter or digit); the API server"
          + " refuses it";
    }
    if (key.equals("batch/CronJob") && name.length() > MAX_CRONJOB_NAME) {
      return "metadata.name is " + name.length() + " characters long: a CronJob's name has at most "
          + MAX_CRONJOB_NAME + " (the names of its Jobs add 11); the API server refuses it";
    }
    return null;
  }

  /**
   * Why no API server serves {@code apiVersion}, or null: it is a version, or {@code group/version},
   * with the group a DNS subdomain (at most 253) and the version an RFC 1035 label (at most 63), as
   * the API server holds every group and version it serves to (kube-aggregator's
   * {@code ValidateAPIService}: {@code IsDNS1123Subdomain(group)}, {@code IsDNS1035Label(version)};
   * a CRD's versions alike). Anything else would make a request path other than the id says
   * ({@code apps/v1/../../api/v1}), or none.
   */
  public static String apiVersionProblem(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = apiVersion.substring(slash + 1);
    boolean ok = (slash < 0 || group.length() <= MAX_NAME && SUBDOMAIN.matcher(group).matches())
        && version.length() <= MAX_NAMESPACE && DNS1035.matcher(version).matches();
    return ok ? null : "apiVersion " + quote(apiVersion) + " is not an API version (a version such as v1, or"
        + " group/version such as apps/v1: the group a DNS subdomain, the version an RFC 1035 label); no API server"
        + " serves it";
  }

  /** Compiled once: a loader checks every document's kind and namespace. */
  private static final java.util.regex.Pattern KIND = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9]*");
  /** RFC 1123 label: lowercase alphanumerics and '-', alphanumeric at both ends (its length is the caller's). */
  static final java.util.regex.Pattern LABEL =
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
