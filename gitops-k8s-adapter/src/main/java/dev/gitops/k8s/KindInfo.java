package dev.gitops.k8s;

import java.util.Locale;
import java.util.Objects;

/**
 * What the adapter needs to know about one kind to address it over the REST API.
 *
 * @param group API group, {@code ""} for core
 * @param version preferred version
 * @param kind kind
 * @param plural resource name in URLs
 * @param namespaced true for namespaced kinds
 */
record KindInfo(String group, String version, String kind, String plural, boolean namespaced) {
  /** Validates. */
  public KindInfo {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(plural, "plural");
  }

  /** {@code apps/v1} or {@code v1}. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /**
   * The REST path of this kind's collection: in {@code namespace} (when namespaced and not empty),
   * else across namespaces or cluster-wide: {@code /apis/apps/v1/namespaces/shop/deployments}.
   */
  public String path(String namespace) {
    return (group.isEmpty() ? "/api/" : "/apis/" + group + "/") + version
        + (namespaced && namespace != null && !namespace.isEmpty() ? "/namespaces/" + namespace : "")
        + "/" + plural;
  }

  /** {@code group/kind} key used by the tables. */
  public String key() {
    return key(group, kind);
  }

  /** The table key of a group and kind. */
  public static String key(String group, String kind) {
    return group + "/" + kind;
  }

  /** The group of an {@code apiVersion}: {@code apps/v1} gives {@code apps}, {@code v1} gives {@code ""}. */
  public static String groupOf(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /** The version of an {@code apiVersion}. */
  public static String versionOf(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
  }

  /** The usual English plural of a kind, lower-cased, as the API server derives it. */
  public static String pluralOf(String kind) {
    String k = kind.toLowerCase(Locale.ROOT);
    if (k.endsWith("endpoints")) {
      return k;
    }
    if (k.endsWith("s") || k.endsWith("x") || k.endsWith("ch") || k.endsWith("sh")) {
      return k + "es";
    }
    if (k.endsWith("y") && k.length() > 1 && "aeiou".indexOf(k.charAt(k.length() - 2)) < 0) {
      return k.substring(0, k.length() - 1) + "ies";
    }
    return k + "s";
  }
}
