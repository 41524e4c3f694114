package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What the API server requires of RBAC roles and bindings, checked on load: it refuses such an
 * object with 422 at the write of its wave, after the earlier waves were written, and the fabric8
 * mock takes it. From the API server's RBAC validation (after its defaults: a binding's
 * {@code roleRef.apiGroup}, and a {@code User}'s or {@code Group}'s {@code apiGroup}, left out are
 * {@code rbac.authorization.k8s.io}):
 *
 * <ul>
 *   <li>A Role's or ClusterRole's rule names at least one verb, and either non-resource URLs (a
 *       ClusterRole's only, with no API group, resource or resource name) or at least one API group
 *       and one resource. An aggregated ClusterRole may have no rules, but selects at least one
 *       label set.
 *   <li>A binding's {@code roleRef} is in {@code rbac.authorization.k8s.io}, names a
 *       {@code ClusterRole} (or, in a RoleBinding, a {@code Role}) and a name that is a path
 *       segment (not {@code .} or {@code ..}, no {@code /} or {@code %}).
 *   <li>A subject has a name and is a {@code ServiceAccount} (no API group; in a
 *       ClusterRoleBinding, its namespace given), a {@code User} or a {@code Group} (of
 *       {@code rbac.authorization.k8s.io}).
 * </ul>
 */
final class RbacRules {
  private static final String GROUP = "rbac.authorization.k8s.io";

  private RbacRules() {
  }

  /** Adds to {@code problems} what the server would refuse of {@code node}, a {@code group}/{@code kind}. */
  static void check(String group, String kind, JsonNode node, List<DecodedValues.Refusal> problems) {
    if (!group.equals(GROUP)) {
      return;
    }
    switch (kind) {
      case "Role", "ClusterRole" -> {
        JsonNode rules = node.path("rules");
        for (int i = 0; rules.isArray() && i < rules.size(); i++) {
          rule(kind, rules.get(i), "/rules/" + i, problems);
        }
        JsonNode aggregation = node.path("aggregationRule");
        if (kind.equals("ClusterRole") && aggregation.isObject() && none(aggregation.path("clusterRoleSelectors"))) {
          refuse(problems, "/aggregationRule", "aggregationRule.clusterRoleSelectors: none given; an aggregated"
              + " ClusterRole selects at least one label set");
        }
      }
      case "RoleBinding", "ClusterRoleBinding" -> {
        roleRef(kind, node.path("roleRef"), problems);
        JsonNode subjects = node.path("subjects");
        for (int i = 0; subjects.isArray() && i < subjects.size(); i++) {
          subject(kind, subjects.get(i), "/subjects/" + i, problems);
        }
      }
      default -> { }
    }
  }

  private static void rule(String kind, JsonNode rule, String at, List<DecodedValues.Refusal> problems) {
    String shown = Pointers.dotted(at);
    if (!rule.isObject()) {
      return;
    }
    if (none(rule.path("verbs"))) {
      refuse(problems, at, shown + ".verbs: none given; a rule names at least one verb (\"*\" for all)");
    }
    if (!none(rule.path("nonResourceURLs"))) {
      if (kind.equals("Role")) {
        refuse(problems, at + "/nonResourceURLs", shown + ".nonResourceURLs: given in a Role; only a ClusterRole's"
            + " rules name non-resource URLs");
      }
      if (!none(rule.path("apiGroups")) || !none(rule.path("resources")) || !none(rule.path("resourceNames"))) {
        refuse(problems, at + "/nonResourceURLs", shown + ".nonResourceURLs: given with apiGroups, resources or"
            + " resourceNames; a rule names either resources or non-resource URLs, so write two rules");
      }
      return;
    }
    if (none(rule.path("apiGroups"))) {
      refuse(problems, at, shown + ".apiGroups: none given; a rule on resources names at least one API group"
          + " (\"\" for the core group)");
    }
    if (none(rule.path("resources"))) {
      refuse(problems, at, shown + ".resources: none given; a rule on resources names at least one resource");
    }
  }

  private static void roleRef(String kind, JsonNode ref, List<DecodedValues.Refusal> problems) {
    if (!ref.isMissingNode() && !ref.isObject()) {
      return; // the schema's problem
    }
    String at = ref.isObject() ? "/roleRef" : "";
    String apiGroup = text(ref.path("apiGroup"));
    if (apiGroup != null && !apiGroup.isEmpty() && !apiGroup.equals(GROUP)) {
      refuse(problems, "/roleRef/apiGroup", "roleRef.apiGroup: " + Names.printable(apiGroup) + " where the API"
          + " server takes " + GROUP);
    }
    String refKind = text(ref.path("kind"));
    boolean role = kind.equals("RoleBinding") && "Role".equals(refKind);
    if (refKind != null && !role && !refKind.equals("ClusterRole")) {
      refuse(problems, ref.has("kind") ? "/roleRef/kind" : at, "roleRef.kind: " + (refKind.isEmpty() ? "missing"
          : Names.printable(refKind)) + " where a " + kind + " takes " + (kind.equals("RoleBinding")
          ? "Role or ClusterRole" : "ClusterRole"));
    }
    String name = text(ref.path("name"));
    if (name == null) {
      return;
    } else if (name.isEmpty()) {
      refuse(problems, at, "roleRef.name: missing; a binding names its role");
    } else if (name.equals(".") || name.equals("..") || name.contains("/") || name.contains("%")) {
      refuse(problems, "/roleRef/name", "roleRef.name: " + Names.printable(name) + " is not a role's name (not"
          + " '.' or '..', no '/' or '%')");
    }
  }

  private static void subject(String kind, JsonNode subject, String at, List<DecodedValues.Refusal> problems) {
    if (!subject.isObject()) {
      return;
    }
    String shown = Pointers.dotted(at);
    if ("".equals(text(subject.path("name")))) {
      refuse(problems, at, shown + ".name: missing; a subject names whom it binds");
    }
    String apiGroup = text(subject.path("apiGroup"));
    String subjectKind = text(subject.path("kind"));
    if (apiGroup == null || subjectKind == null) {
      return;
    }
    switch (subjectKind) {
      case "ServiceAccount" -> {
        if (!apiGroup.isEmpty()) {
          refuse(problems, at + "/apiGroup", shown + ".apiGroup: " + Names.printable(apiGroup) + " where a"
              + " ServiceAccount subject takes none (\"\")");
        }
        if (kind.equals("ClusterRoleBinding") && "".equals(text(subject.path("namespace")))) {
          refuse(problems, at, shown + ".namespace: missing; a ClusterRoleBinding names its ServiceAccount's"
              + " namespace");
        }
      }
      case "User", "Group" -> {
        if (!apiGroup.isEmpty() && !apiGroup.equals(GROUP)) {
          refuse(problems, at + "/apiGroup", shown + ".apiGroup: " + Names.printable(apiGroup) + " where a "
              + subjectKind + " subject takes " + GROUP);
        }
      }
      case "" -> refuse(problems, at, shown + ".kind: missing; a subject is a ServiceAccount, User or Group");
      default -> { } // another word is EnumRules' problem
    }
  }

  /** True when {@code list} is left out, null or empty (a value that is not a list is the schema's problem). */
  private static boolean none(JsonNode list) {
    return list.isMissingNode() || list.isNull() || list.isArray() && list.isEmpty();
  }

  /** The text of {@code value}, "" when it is left out, null when it is not text (the schema's problem). */
  private static String text(JsonNode value) {
    return value.isTextual() ? value.textValue() : value.isMissingNode() || value.isNull() ? "" : null;
  }

  private static void refuse(List<DecodedValues.Refusal> problems, String pointer, String what) {
    problems.add(DecodedValues.Refusal.server(pointer, what));
  }
}
