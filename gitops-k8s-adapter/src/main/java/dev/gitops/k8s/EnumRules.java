package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fields of built-in kinds that take one of a fixed set of words, checked on load: the API server
 * refuses any other value ("Unsupported value", 422) at the write of the object's wave, after the
 * earlier waves were written, and the fabric8 mock takes it. The words are matched as the server
 * matches them, case included ({@code imagePullPolicy: always} and {@code protocol: tcp} are
 * refused). Each set is the one the API server's validation of Kubernetes 1.30 to 1.35 takes; a
 * field whose set grows from release to release (a toleration's {@code operator} gained
 * comparisons in 1.35) is left out, so that nothing a newer server takes is refused. Every field
 * named is one of the kind's schema ({@code EnumRulesTest} walks the OpenAPI documents), and no
 * object of the corpus of objects as servers return them, nor of the real-world fixtures, is
 * refused. Values that are not text are the schema's to judge ({@link DecodedValues}). A selector
 * requirement's {@code values} are checked against its operator as the server checks them: some
 * for {@code In} and {@code NotIn}, none for {@code Exists} and {@code DoesNotExist}, one integer
 * for a node selector's {@code Gt} and {@code Lt}.
 */
final class EnumRules {
  private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");
  private static final Set<String> ACCESS_MODES = Set.of("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany",
      "ReadWriteOncePod");
  private static final Set<String> VOLUME_MODES = Set.of("Block", "Filesystem");
  private static final Set<String> UPDATE_STRATEGIES = defaulted("RollingUpdate", "OnDelete");
  private static final Set<String> PROFILES = Set.of("RuntimeDefault", "Unconfined", "Localhost");
  private static final Set<String> SELECTOR_OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");
  private static final Set<String> NODE_OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt");
  private static final Rule SELECTOR = new Rule("/spec/selector/matchExpressions/*/operator", SELECTOR_OPERATORS);

  /** A field, as a pointer whose {@code *} stands for any element or member, and the words it takes. */
  record Rule(String pointer, Set<String> values) {}

  /** Rules of a pod spec, relative to where its kind keeps it ({@link PodRules#podSpec}). */
  private static final List<Rule> POD_SPEC = podSpec();
  /** Rules of each kind, by group/Kind. */
  private static final Map<String, List<Rule>> KINDS = kinds();

  /**
   * A rule as {@link #check} walks it: its pointer's segments, and for a selector operator the
   * segments of its requirement and whether it is a node selector's.
   */
  private record Compiled(List<String> path, Set<String> values, List<String> requirement, boolean node) {}

  /** The compiled rules of each group/Kind met so far (loading walks them for every object). */
  private static final Map<String, List<Compiled>> COMPILED = new java.util.concurrent.ConcurrentHashMap<>();

  private EnumRules() {
  }

  /**
   * The words of a field of a plain Go string that the server's defaulting fills when empty
   * ({@code if obj.DNSPolicy == "" { ... }} in the defaults of core, apps and batch v1): {@code ""}
   * is taken too, as a Helm template rendering an unset value writes it, and reads back as the
   * default. Not a port's {@code protocol}: it keys its list, and a server-side apply matches
   * {@code ""} as a key of its own before the default fills it.
   */
  private static Set<String> defaulted(String... words) {
    Set<String> out = new java.util.HashSet<>(List.of(words));
    out.add("");
    return Set.copyOf(out);
  }

  /**
   * Adds to {@code problems} each field of {@code tree}, a {@code group}/{@code kind}, holding a word
   * the server does not take.
   */
  static void check(String group, String kind, JsonNode tree, List<DecodedValues.Refusal> problems) {
    for (Compiled rule : COMPILED.computeIfAbsent(group + "/" + kind, k -> compile(group, kind))) {
      visit(tree, null, rule.path(), 0, (value, at) -> word(value, at, rule.values(), problems));
      if (rule.requirement() != null) { // the requirement's values
        visit(tree, null, rule.requirement(), 0, (r, at) -> requirement(r, at.pointer(), rule.node(), problems));
      }
    }
  }

  private static List<Compiled> compile(String group, String kind) {
    List<Compiled> out = new ArrayList<>();
    for (Rule rule : rules(group, kind)) {
      boolean selector = rule.values() == SELECTOR_OPERATORS || rule.values() == NODE_OPERATORS;
      String requirement = rule.pointer().substring(0, rule.pointer().lastIndexOf('/'));
      out.add(new Compiled(Pointers.segments(rule.pointer()), rule.values(),
          selector ? Pointers.segments(requirement) : null, rule.values() == NODE_OPERATORS));
    }
    return List.copyOf(out);
  }

  /** Every rule for objects of {@code group}/{@code kind}, pod-spec rules at the kind's pod spec. */
  static List<Rule> rules(String group, String kind) {
    List<Rule> out = new ArrayList<>(KINDS.getOrDefault(group + "/" + kind, List.of()));
    String spec = PodRules.podSpec(group, kind);
    if (spec != null) {
      POD_SPEC.forEach(r -> out.add(new Rule(spec + r.pointer(), r.values())));
    }
    return out;
  }

  private static void word(JsonNode value, FieldAt field, Set<String> values, List<DecodedValues.Refusal> problems) {
    if (value.isTextual() && !values.contains(value.asText())) {
      String at = field.pointer();
      problems.add(new DecodedValues.Refusal(at, Pointers.dotted(at) + ": " + Names.quote(value.asText())
          + " is not one of " + String.join(", ", words(values))
          + ": the API server refuses the object"));
    }
  }

  /** The words of {@code values} as a message lists them: sorted, without the empty one a default fills. */
  private static java.util.SortedSet<String> words(Set<String> values) {
    java.util.SortedSet<String> out = new java.util.TreeSet<>(values);
    out.remove("");
    return out;
  }

  /**
   * A selector requirement's values as its operator asks: some for {@code In} and {@code NotIn},
   * none for {@code Exists} and {@code DoesNotExist}, one integer for a node selector's
   * ({@code node}) {@code Gt} and {@code Lt}.
   */
  private static void requirement(JsonNode requirement, String at, boolean node,
                                  List<DecodedValues.Refusal> problems) {
    JsonNode values = requirement.path("values");
    int count = values.isArray() ? values.size() : 0;
    String what = switch (requirement.path("operator").asText()) {
      case "In", "NotIn" -> count == 0 ? "none, where operator " + requirement.path("operator").asText()
          + " needs at least one" : null;
      case "Exists", "DoesNotExist" -> count > 0 ? count + ", where operator "
          + requirement.path("operator").asText() + " takes none" : null;
      case "Gt", "Lt" -> !node ? null : count != 1 || !values.get(0).asText().matches("-?[0-9]{1,18}") ? (count == 1
          ? Names.quote(values.get(0).asText()) : String.valueOf(count)) + ", where operator "
          + requirement.path("operator").asText() + " takes one integer" : null;
      default -> null;
    };
    if (what != null) {
      String pointer = count > 0 ? at + "/values" : at;
      problems.add(new DecodedValues.Refusal(pointer, Pointers.dotted(at) + ".values: " + what
          + ": the API server refuses the object"));
    }
  }

  /**
   * Calls {@code leaf} with each node of {@code node} (at {@code at}, null for the root) along
   * {@code path} from its segment {@code i}; where it is, as a pointer, is built only when asked.
   */
  private static void visit(JsonNode node, FieldAt at, List<String> path, int i,
                            java.util.function.BiConsumer<JsonNode, FieldAt> leaf) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return;
    }
    if (i == path.size()) {
      leaf.accept(node, at);
      return;
    }
    String segment = path.get(i);
    if (!segment.equals("*")) {
      visit(node.get(segment), FieldAt.field(at, segment), path, i + 1, leaf);
    } else if (node.isArray()) {
      for (int k = 0; k < node.size(); k++) {
        visit(node.get(k), FieldAt.element(at, k), path, i + 1, leaf);
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        visit(e.getValue(), FieldAt.field(at, e.getKey()), path, i + 1, leaf);
      }
    }
  }

  private static List<Rule> podSpec() {
    List<Rule> rules = new ArrayList<>();
    for (String containers : List.of("/containers/*", "/initContainers/*", "/ephemeralContainers/*")) {
      rules.add(new Rule(containers + "/imagePullPolicy", defaulted("Always", "Never", "IfNotPresent")));
      rules.add(new Rule(containers + "/terminationMessagePolicy", defaulted("File", "FallbackToLogsOnError")));
      rules.add(new Rule(containers + "/ports/*/protocol", PROTOCOLS));
      rules.add(new Rule(containers + "/securityContext/seccompProfile/type", PROFILES));
    }
    rules.add(new Rule("/dnsPolicy", defaulted("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")));
    rules.add(new Rule("/securityContext/seccompProfile/type", PROFILES));
    rules.add(new Rule("/tolerations/*/effect", Set.of("", "NoSchedule", "PreferNoSchedule", "NoExecute")));
    rules.add(new Rule("/topologySpreadConstraints/*/whenUnsatisfiable", Set.of("DoNotSchedule", "ScheduleAnyway")));
    rules.add(new Rule("/topologySpreadConstraints/*/labelSelector/matchExpressions/*/operator", SELECTOR_OPERATORS));
    for (String term : List.of("/requiredDuringSchedulingIgnoredDuringExecution/*",
        "/preferredDuringSchedulingIgnoredDuringExecution/*/podAffinityTerm")) {
      for (String selector : List.of("/labelSelector", "/namespaceSelector")) {
        rules.add(new Rule("/affinity/*" + term + selector + "/matchExpressions/*/operator", SELECTOR_OPERATORS));
      }
    }
    for (String terms : List.of("/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/*",
        "/preferredDuringSchedulingIgnoredDuringExecution/*/preference")) {
      for (String match : List.of("/matchExpressions", "/matchFields")) {
        rules.add(new Rule("/affinity/nodeAffinity" + terms + match + "/*/operator", NODE_OPERATORS));
      }
    }
    rules.add(new Rule("/volumes/*/hostPath/type", Set.of("", "DirectoryOrCreate", "Directory", "FileOrCreate",
        "File", "Socket", "CharDevice", "BlockDevice")));
    return List.copyOf(rules);
  }

  private static Map<String, List<Rule>> kinds() {
    Rule claimModes = new Rule("/spec/accessModes/*", ACCESS_MODES);
    Rule claimVolumeMode = new Rule("/spec/volumeMode", VOLUME_MODES);
    return Map.ofEntries(
        Map.entry("/Pod", List.of(new Rule("/spec/restartPolicy", defaulted("Always", "OnFailure", "Never")))),
        Map.entry("/Service", List.of(
            new Rule("/spec/type", defaulted("ClusterIP", "NodePort", "LoadBalancer", "ExternalName")),
            new Rule("/spec/sessionAffinity", defaulted("ClientIP", "None")),
            new Rule("/spec/externalTrafficPolicy", defaulted("Cluster", "Local")),
            new Rule("/spec/internalTrafficPolicy", Set.of("Cluster", "Local")),
            new Rule("/spec/ipFamilyPolicy", Set.of("SingleStack", "PreferDualStack", "RequireDualStack")),
            new Rule("/spec/ipFamilies/*", Set.of("IPv4", "IPv6")),
            new Rule("/spec/ports/*/protocol", PROTOCOLS))),
        Map.entry("/PersistentVolumeClaim", List.of(claimModes, claimVolumeMode)),
        Map.entry("/PersistentVolume", List.of(claimModes, claimVolumeMode,
            new Rule("/spec/persistentVolumeReclaimPolicy", defaulted("Retain", "Delete", "Recycle")))),
        Map.entry("apps/Deployment", List.of(SELECTOR,
            new Rule("/spec/strategy/type", defaulted("Recreate", "RollingUpdate")))),
        Map.entry("apps/ReplicaSet", List.of(SELECTOR)),
        Map.entry("apps/StatefulSet", List.of(SELECTOR,
            new Rule("/spec/podManagementPolicy", defaulted("OrderedReady", "Parallel")),
            new Rule("/spec/updateStrategy/type", UPDATE_STRATEGIES),
            new Rule("/spec/volumeClaimTemplates/*/spec/accessModes/*", ACCESS_MODES),
            new Rule("/spec/volumeClaimTemplates/*/spec/volumeMode", VOLUME_MODES))),
        Map.entry("apps/DaemonSet", List.of(SELECTOR, new Rule("/spec/updateStrategy/type", UPDATE_STRATEGIES))),
        Map.entry("batch/Job", List.of(SELECTOR, new Rule("/spec/completionMode", Set.of("NonIndexed", "Indexed")))),
        Map.entry("batch/CronJob", List.of(new Rule("/spec/concurrencyPolicy", defaulted("Allow", "Forbid", "Replace")),
            new Rule("/spec/jobTemplate/spec/completionMode", Set.of("NonIndexed", "Indexed")))),
        Map.entry("storage.k8s.io/StorageClass", List.of(new Rule("/reclaimPolicy", Set.of("Retain", "Delete")),
            new Rule("/volumeBindingMode", Set.of("Immediate", "WaitForFirstConsumer")))),
        Map.entry("networking.k8s.io/Ingress", List.of(new Rule("/spec/rules/*/http/paths/*/pathType",
            Set.of("Exact", "Prefix", "ImplementationSpecific")))),
        Map.entry("networking.k8s.io/NetworkPolicy", List.of(
            new Rule("/spec/policyTypes/*", Set.of("Ingress", "Egress")),
            new Rule("/spec/podSelector/matchExpressions/*/operator", SELECTOR_OPERATORS),
            new Rule("/spec/ingress/*/from/*/podSelector/matchExpressions/*/operator", SELECTOR_OPERATORS),
            new Rule("/spec/ingress/*/from/*/namespaceSelector/matchExpressions/*/operator", SELECTOR_OPERATORS),
            new Rule("/spec/egress/*/to/*/podSelector/matchExpressions/*/operator", SELECTOR_OPERATORS),
            new Rule("/spec/egress/*/to/*/namespaceSelector/matchExpressions/*/operator", SELECTOR_OPERATORS),
            new Rule("/spec/ingress/*/ports/*/protocol", PROTOCOLS),
            new Rule("/spec/egress/*/ports/*/protocol", PROTOCOLS))),
        Map.entry("policy/PodDisruptionBudget", List.of(SELECTOR, new Rule("/spec/unhealthyPodEvictionPolicy",
            Set.of("IfHealthyBudget", "AlwaysAllow")))),
        Map.entry("autoscaling/HorizontalPodAutoscaler", List.of(
            new Rule("/spec/metrics/*/type", Set.of("ContainerResource", "External", "Object", "Pods", "Resource")),
            new Rule("/spec/metrics/*/*/target/type", Set.of("Utilization", "Value", "AverageValue")),
            new Rule("/spec/behavior/*/selectPolicy", Set.of("Max", "Min", "Disabled")),
            new Rule("/spec/behavior/*/policies/*/type", Set.of("Pods", "Percent")))),
        Map.entry("rbac.authorization.k8s.io/RoleBinding", List.of(new Rule("/subjects/*/kind",
            Set.of("User", "Group", "ServiceAccount")))),
        Map.entry("rbac.authorization.k8s.io/ClusterRoleBinding", List.of(new Rule("/subjects/*/kind",
            Set.of("User", "Group", "ServiceAccount")))),
        Map.entry("discovery.k8s.io/EndpointSlice", List.of(new Rule("/addressType", Set.of("IPv4", "IPv6", "FQDN")))));
  }
}
