package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.diff.Change;
import dev.gitops.diff.DiffOptions;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Observed;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The fields of built-in kinds that the API server keeps as they were created: an update that
 * changes one is refused ({@code 422}: "field is immutable", "updates to statefulset spec for
 * fields other than ... are forbidden"). The fabric8 mock accepts such an update; a cluster refuses
 * it at the write of its wave, after the earlier waves were written. So a desired object that would
 * change one of them, judged by the same diff the plan makes (server defaults, zero values and
 * other managers' fields are no change), is a problem of the desired state, reported before the
 * first write, with the ways out: delete the object so that the next run creates it, rename it, or
 * annotate it {@value Labels#RECREATE}{@code : "true"}. An object of the owner so annotated is not
 * refused: the writer deletes it (the planned version as precondition) and creates it anew once it
 * is gone, as Flux's {@code force} and Argo CD's {@code Replace=true} do on request.
 *
 * <p>The table follows the validation of the Kubernetes API server (1.30 and later), leaving out
 * what it allows in some cases, so that nothing the server would take is refused here:
 * {@code selector} of Deployment, ReplicaSet, DaemonSet, StatefulSet and Job; StatefulSet's
 * {@code serviceName}, {@code podManagementPolicy} and {@code volumeClaimTemplates}; a Job's
 * {@code template} (unless the Job is suspended), {@code completionMode}, {@code podFailurePolicy},
 * {@code backoffLimitPerIndex}, {@code successPolicy} and {@code managedBy}; a Service's
 * {@code clusterIP} once allocated (to another value: dropping it from Git keeps the allocated
 * one), and the first of its {@code clusterIPs} and {@code ipFamilies} once set (a second may come
 * and go with {@code ipFamilyPolicy}); a PersistentVolumeClaim's {@code accessModes}, {@code selector},
 * {@code volumeMode}, {@code dataSource}, {@code dataSourceRef}, and {@code storageClassName} (even
 * {@code ""}) and {@code volumeName} once set, which an update that leaves out a value gitops
 * applied would remove too (a chart's class rendered null after a written one; a first class for a
 * claim created without one is taken, and the class the DefaultStorageClass admission plugin sets
 * is never gitops's); a PersistentVolume's volume source and {@code volumeMode}; a Pod's {@code spec} except
 * container images, {@code activeDeadlineSeconds} (set where there was none, or lowered: raised or
 * removed once set it is refused too), {@code tolerations}, {@code terminationGracePeriodSeconds}
 * (only a negative one set to 1) and {@code schedulingGates}, and while the live Pod is gated
 * its {@code nodeSelector} and node affinity (their finer limits the server's); a Secret's {@code type}; the
 * {@code data} of a ConfigMap or Secret marked {@code immutable: true} (and that mark); the
 * {@code roleRef} of RoleBinding and ClusterRoleBinding; StorageClass {@code provisioner},
 * {@code parameters}, {@code reclaimPolicy}, {@code volumeBindingMode}; IngressClass
 * {@code spec.controller}; PriorityClass {@code value} and {@code preemptionPolicy}; RuntimeClass
 * {@code handler}; CSIDriver {@code spec.attachRequired} and {@code spec.volumeLifecycleModes};
 * CSIStorageCapacity {@code nodeTopology} and {@code storageClassName}; VolumeAttributesClass
 * {@code driverName} and {@code parameters}; the {@code spec} of a CertificateSigningRequest, a
 * ResourceClaim and a ResourceClaimTemplate; ResourceSlice {@code spec.driver},
 * {@code spec.nodeName} and {@code spec.pool.name}; the first of a ServiceCIDR's {@code cidrs} (a
 * single-stack range may become dual-stack); EndpointSlice {@code addressType}; a
 * CustomResourceDefinition's {@code group}, {@code scope}, {@code names.plural} and
 * {@code names.kind}. Every field the Kubernetes API reference calls immutable is here, judged at
 * least in part, or left to the server for a reason ({@code ImmutableFieldsApiDocsTest} holds the
 * table to the OpenAPI documents). Custom resources are not judged: their immutability lives in CEL
 * rules of their schema. Thread-safe.
 */
final class ImmutableFields {
  private static final Predicate<JsonNode> ALWAYS = live -> true;
  private static final Predicate<JsonNode> MARKED = live -> live.path("immutable").asBoolean(false);
  /** A Pod whose scheduling gates are not all removed ({@code podIsGated} of {@code ValidatePodUpdate}). */
  private static final Predicate<JsonNode> GATED = live -> !live.path("spec").path("schedulingGates").isEmpty();
  /**
   * What {@code ValidatePodUpdate} munges before it compares a Pod's spec with the old one; its own
   * rules for {@code activeDeadlineSeconds} and {@code terminationGracePeriodSeconds} are rules of
   * their own below, the finer ones for tolerations and gates the server's.
   */
  private static final List<String> POD_UPDATABLE = List.of("/spec/containers/*/image", "/spec/initContainers/*/image",
      "/spec/activeDeadlineSeconds", "/spec/tolerations", "/spec/terminationGracePeriodSeconds", "/spec/schedulingGates");
  /**
   * And while the old Pod is gated: its nodeSelector ({@code validateNodeSelectorMutation}: additions)
   * and node affinity ({@code validateNodeAffinityMutation}: expressions after each required term's,
   * any preferred terms, anything where it had no required terms), whose finer limits the server judges.
   */
  private static final List<String> GATED_POD_UPDATABLE = java.util.stream.Stream.concat(POD_UPDATABLE.stream(),
      java.util.stream.Stream.of("/spec/nodeSelector", "/spec/affinity/nodeAffinity")).toList();
  /** What {@code ValidatePodUpdate} says of a Pod's {@code activeDeadlineSeconds} removed once set (a {@link Kept#LOWERED} field). */
  private static final String NOT_TO_NIL = "must not update from a positive integer to nil value";
  private static final Map<String, List<Rule>> RULES = rules();

  private final LazyDiffer differ;

  /** A check that compares as a plan made with {@code options} does. */
  ImmutableFields(DiffOptions options) {
    this(new LazyDiffer(options));
  }

  /** A check that compares with {@code differ}, shared with the other checks of a target. */
  ImmutableFields(LazyDiffer differ) {
    this.differ = differ;
  }

  /**
   * Returns {@code actual} once no object of {@code desired} would change a field its live object
   * (in {@code actual}) keeps as created.
   *
   * @throws InvalidDesiredStateException naming each such object with file, line and field
   */
  ActualState check(DesiredState desired, ActualState actual, String owner) {
    List<Problem> problems = new ArrayList<>();
    for (Resource want : desired.resources()) {
      List<Rule> rules = RULES.get(KindInfo.key(want.id().group(), want.id().kind()));
      Observed have = rules == null ? null : actual.get(want.id());
      if (have == null || recreates(want) && have.isOwnedBy(owner) // the writer deletes and creates it
          || !(have.resource().content() instanceof Content.Tree live)
          || !(want.content() instanceof Content.Tree tree)) {
        continue;
      }
      JsonNode applied = have.lastApplied() instanceof Content.Tree t ? t.node() : null;
      List<Rule> apply = rules.stream().filter(r -> r.when.test(live.node())
          && r.mayChange(tree.node(), live.node(), applied)).toList();
      if (apply.isEmpty()) {
        continue;
      }
      ResourceDiff diff = differ.get().diff(want.id(), live, tree, have.lastApplied());
      for (String message : refused(apply, diff)) {
        problems.add(Problem.at(want.origin(), want.id(), message));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidDesiredStateException(problems);
    }
    return actual;
  }

  /** True when {@code desired} asks to be deleted and created anew where a change needs it ({@value Labels#RECREATE}). */
  static boolean recreates(Resource desired) {
    return desired.content() instanceof Content.Tree t
        && "true".equals(t.node().path("metadata").path("annotations").path(Labels.RECREATE).asText());
  }

  /** True when {@code diff} changes a field that objects of kind {@code kindKey} may keep as created. */
  static boolean touches(String kindKey, ResourceDiff diff) {
    return !refused(RULES.getOrDefault(kindKey, List.of()), diff).isEmpty();
  }

  /** What {@code diff} of an object of kind {@code kindKey} changes that the server keeps; empty when nothing. */
  static List<String> refused(String kindKey, JsonNode live, ResourceDiff diff) {
    List<Rule> rules = RULES.getOrDefault(kindKey, List.of()).stream().filter(r -> r.when.test(live)).toList();
    return refused(rules, diff);
  }

  private static List<String> refused(List<Rule> rules, ResourceDiff diff) {
    List<String> out = new ArrayList<>();
    for (Rule rule : rules) {
      for (Change change : diff.changes()) {
        if (rule.hits(change)) {
          String field = Pointers.dotted(rule.path);
          String at = Pointers.dotted(change.path());
          boolean removed = change.op() == Change.Op.REMOVE && (rule.kept == Kept.ONCE_SET || rule.kept == Kept.LOWERED);
          boolean lowered = rule.kept == Kept.LOWERED;
          out.add(field + (lowered ? " may be lowered but not raised nor removed once set: the API server refuses"
              + " the update (" : " cannot change once the object exists: the API server keeps it as created"
              + " and refuses the update (") + (removed ? "left out of Git, which removes it; " : "")
              + (at.equals(field) ? "" : "changed: " + at + "; ")
              + (lowered && removed ? NOT_TO_NIL : rule.why) + "); "
              + (removed ? "write it in Git as it is live, " : lowered ? "give it at most its live value, " : "")
              + "delete the object so that the next run"
              + " creates it anew, give it another name, or annotate it " + Labels.RECREATE + ": \"true\" to have"
              + " gitops do so");
          break;
        }
      }
    }
    return out;
  }


  /** The pointers of the fields the table keeps for objects of kind {@code kindKey} ({@code *}: any one segment). */
  static List<String> fields(String kindKey) {
    return RULES.getOrDefault(kindKey, List.of()).stream().map(Rule::path).toList();
  }

  private static String[] segments(String pointer) {
    return Pointers.segments(pointer).toArray(new String[0]);
  }

  /**
   * One field the server keeps: {@code path} a JSON pointer whose {@code *} matches any one
   * segment, applying when {@code when} holds of the live object; a change at or under it counts
   * unless it lies under one of {@code except}, and as {@code kept} says.
   */
  private record Rule(String path, Predicate<JsonNode> when, Kept kept, List<String> except, String why) {
    boolean hits(Change change) {
      if (kept == Kept.REPLACED && (change.op() != Change.Op.REPLACE || blank(change.before())
          || blank(change.after())) || kept == Kept.ONCE_SET && (change.op() == Change.Op.ADD
          || missing(change.before())) || kept == Kept.LOWERED && !raisedOrRemoved(change)
          || kept == Kept.GRACE && negativeToOne(change)) {
        return false;
      }
      String[] at = segments(change.path());
      String[] rule = segments(path);
      if (at.length < rule.length) { // a change of a whole ancestor: counts where it differs at the rule's path
        if (!prefix(rule, at, at.length) || path.contains("*")) {
          return false;
        }
        String rest = "/" + String.join("/", Arrays.copyOfRange(rule, at.length, rule.length));
        JsonNode before = change.before() == null ? null : change.before().at(rest);
        JsonNode after = change.after() == null ? null : change.after().at(rest);
        return !missing(after) && (missing(before) || !before.equals(after));
      }
      return prefix(rule, at, rule.length) && except.stream().map(ImmutableFields::segments)
          .noneMatch(e -> e.length <= at.length && prefix(e, at, e.length)) && !onlyExcepted(at, change);
    }

    /**
     * True when {@code change}, at {@code at}, an ancestor of some of {@link #except}, changes
     * nothing but what lies under them (a gated Pod's {@code affinity} added with a node affinity
     * alone, which {@code ValidatePodUpdate} munges back to none): before and after equal with those
     * taken out, an object left empty counting as none.
     */
    private boolean onlyExcepted(String[] at, Change change) {
      JsonNode before = change.before() == null ? null : change.before().deepCopy();
      JsonNode after = change.after() == null ? null : change.after().deepCopy();
      boolean below = false;
      for (String e : except) {
        String[] ex = segments(e);
        if (ex.length > at.length && !e.contains("*") && prefix(ex, at, at.length)) {
          String rest = "/" + String.join("/", Arrays.copyOfRange(ex, at.length, ex.length));
          below = true;
          before = Pointers.cut(before, rest);
          after = Pointers.cut(after, rest);
        }
      }
      return below && (missing(before) || before.isEmpty()) == (missing(after) || after.isEmpty())
          && (missing(before) || before.isEmpty() || before.equals(after));
    }

    /** True when the first {@code n} segments of {@code at} match those of {@code pattern}. */
    private static boolean prefix(String[] pattern, String[] at, int n) {
      for (int i = 0; i < n; i++) {
        if (!pattern[i].equals("*") && !pattern[i].equals(at[i])) {
          return false;
        }
      }
      return true;
    }

    /** A number replaced by a greater one, or removed ({@code ValidatePodUpdate} on {@code activeDeadlineSeconds}). */
    private static boolean raisedOrRemoved(Change change) {
      JsonNode before = change.before();
      JsonNode after = change.after();
      return !missing(before) && (change.op() == Change.Op.REMOVE || change.op() == Change.Op.REPLACE
          && before.isNumber() && after != null && after.isNumber() && after.decimalValue().compareTo(before.decimalValue()) > 0);
    }

    /** A negative number replaced by 1, which {@code ValidatePodUpdate} takes of a grace period. */
    private static boolean negativeToOne(Change change) {
      JsonNode before = change.before();
      JsonNode after = change.after();
      return change.op() == Change.Op.REPLACE && before != null && before.isNumber() && before.asLong() < 0
          && after != null && after.isIntegralNumber() && after.asLong() == 1;
    }

    private static boolean blank(JsonNode value) {
      return missing(value) || value.asText("").isEmpty();
    }

    /**
     * False when the desired object cannot change the field: it equals the live value there, or
     * neither desired nor what was applied last ({@code applied}, null when not known: then the
     * live object) has it. A cheap look before the diff.
     */
    boolean mayChange(JsonNode desired, JsonNode live, JsonNode applied) {
      String prefix = fixedPrefix();
      JsonNode want = desired.at(prefix);
      if (missing(want)) {
        return kept != Kept.REPLACED && !missing((applied == null ? live : applied).at(prefix));
      }
      return !want.equals(live.at(prefix));
    }

    private String fixedPrefix() {
      int star = path.indexOf("/*");
      return star < 0 ? path : path.substring(0, star);
    }

    private static boolean missing(JsonNode node) {
      return node == null || node.isMissingNode() || node.isNull();
    }
  }

  /** Which changes of a field the server refuses. */
  private enum Kept {
    /** Any change. */
    ANY,
    /** A live value replaced by another (a value left out is kept: an allocated clusterIP; a first one is set). */
    REPLACED,
    /** A live value, even {@code ""}, replaced or removed; a first one may be set (a claim's class and volume). */
    ONCE_SET,
    /** A live number raised or removed; a first one may be set, and a live one lowered (a Pod's active deadline). */
    LOWERED,
    /** Any change but a negative number set to 1 (a Pod's grace period). */
    GRACE
  }

  private static Rule rule(String path, String why) {
    return new Rule(path, ALWAYS, Kept.ANY, List.of(), why);
  }

  private static Map<String, List<Rule>> rules() {
    String immutable = "field is immutable";
    Rule selector = rule("/spec/selector", immutable);
    String sts = "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template',"
        + " 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and"
        + " 'minReadySeconds' are forbidden";
    String pvc = "spec is immutable after creation except resources.requests and volumeAttributesClassName";
    String pod = "pod updates may not change fields other than container images, activeDeadlineSeconds (lowered),"
        + " tolerations (additions, and tolerationSeconds), terminationGracePeriodSeconds (a negative one set to 1)"
        + " and schedulingGates (removals)";
    List<Rule> data = List.of(new Rule("/data", MARKED, Kept.ANY, List.of(), immutable + ": immutable: true"),
        new Rule("/binaryData", MARKED, Kept.ANY, List.of(), immutable + ": immutable: true"),
        new Rule("/immutable", MARKED, Kept.ANY, List.of(), immutable));
    List<Rule> secret = new ArrayList<>(data);
    secret.add(rule("/type", immutable));
    List<Rule> pv = new ArrayList<>();
    for (String source : List.of("awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "csi",
        "fc", "flexVolume", "flocker", "gcePersistentDisk", "glusterfs", "hostPath", "iscsi", "local", "nfs",
        "photonPersistentDisk", "portworxVolume", "quobyte", "rbd", "scaleIO", "storageos", "vsphereVolume")) {
      pv.add(rule("/spec/" + source, "spec.persistentvolumesource is immutable after creation"));
    }
    pv.add(rule("/spec/volumeMode", immutable));
    String binding = "cannot change roleRef";
    String storageClass = "updates to provisioner, parameters, reclaimPolicy and volumeBindingMode are forbidden";
    return Map.ofEntries(
        Map.entry("apps/Deployment", List.of(selector)),
        Map.entry("apps/ReplicaSet", List.of(selector)),
        Map.entry("apps/DaemonSet", List.of(selector)),
        Map.entry("apps/StatefulSet", List.of(rule("/spec/selector", sts), rule("/spec/serviceName", sts),
            rule("/spec/podManagementPolicy", sts), rule("/spec/volumeClaimTemplates", sts))),
        Map.entry("batch/Job", List.of(selector,
            new Rule("/spec/template", live -> !live.path("spec").path("suspend").asBoolean(false), Kept.ANY,
                List.of(), immutable),
            rule("/spec/completionMode", immutable), rule("/spec/podFailurePolicy", immutable),
            rule("/spec/backoffLimitPerIndex", immutable), rule("/spec/successPolicy", immutable),
            rule("/spec/managedBy", immutable))),
        Map.entry("/Service", List.of(new Rule("/spec/clusterIP", ALWAYS, Kept.REPLACED, List.of(), immutable),
            new Rule("/spec/clusterIPs/0", ALWAYS, Kept.REPLACED, List.of(), "may not change once set"),
            new Rule("/spec/ipFamilies/0", ALWAYS, Kept.REPLACED, List.of(), "may not change once set"))),
        Map.entry("/PersistentVolumeClaim", List.of(rule("/spec/accessModes", pvc), rule("/spec/selector", pvc),
            rule("/spec/volumeMode", pvc), rule("/spec/dataSource", pvc), rule("/spec/dataSourceRef", pvc),
            new Rule("/spec/storageClassName", ALWAYS, Kept.ONCE_SET, List.of(), pvc),
            new Rule("/spec/volumeName", ALWAYS, Kept.ONCE_SET, List.of(), pvc))),
        Map.entry("/PersistentVolume", List.copyOf(pv)),
        Map.entry("/Pod", List.of(new Rule("/spec", GATED.negate(), Kept.ANY, POD_UPDATABLE, pod),
            new Rule("/spec", GATED, Kept.ANY, GATED_POD_UPDATABLE, pod
                + " (while gated, nodeSelector additions and node affinity)"),
            new Rule("/spec/activeDeadlineSeconds", ALWAYS, Kept.LOWERED, List.of(),
                "must be less than or equal to previous value"),
            new Rule("/spec/terminationGracePeriodSeconds", ALWAYS, Kept.GRACE, List.of(), pod))),
        Map.entry("/ConfigMap", data),
        Map.entry("/Secret", List.copyOf(secret)),
        Map.entry("rbac.authorization.k8s.io/RoleBinding", List.of(rule("/roleRef", binding))),
        Map.entry("rbac.authorization.k8s.io/ClusterRoleBinding", List.of(rule("/roleRef", binding))),
        Map.entry("storage.k8s.io/StorageClass", List.of(rule("/provisioner", storageClass),
            rule("/parameters", storageClass), rule("/reclaimPolicy", storageClass),
            rule("/volumeBindingMode", storageClass))),
        Map.entry("storage.k8s.io/CSIDriver", List.of(rule("/spec/attachRequired", immutable),
            rule("/spec/volumeLifecycleModes", immutable))),
        Map.entry("storage.k8s.io/CSIStorageCapacity", List.of(rule("/nodeTopology", immutable),
            rule("/storageClassName", immutable))),
        Map.entry("storage.k8s.io/VolumeAttributesClass", List.of(rule("/driverName", immutable),
            rule("/parameters", immutable))),
        Map.entry("certificates.k8s.io/CertificateSigningRequest", List.of(rule("/spec", immutable))),
        Map.entry("resource.k8s.io/ResourceClaim", List.of(rule("/spec", immutable))),
        Map.entry("resource.k8s.io/ResourceClaimTemplate", List.of(rule("/spec", immutable))),
        Map.entry("resource.k8s.io/ResourceSlice", List.of(rule("/spec/driver", immutable),
            rule("/spec/nodeName", immutable), rule("/spec/pool/name", immutable))),
        Map.entry("networking.k8s.io/ServiceCIDR", List.of(rule("/spec/cidrs/0", immutable))),
        Map.entry("networking.k8s.io/IngressClass", List.of(rule("/spec/controller", immutable))),
        Map.entry("scheduling.k8s.io/PriorityClass", List.of(rule("/value", "may not be changed in an update"),
            rule("/preemptionPolicy", immutable))),
        Map.entry("node.k8s.io/RuntimeClass", List.of(rule("/handler", immutable))),
        Map.entry("discovery.k8s.io/EndpointSlice", List.of(rule("/addressType", immutable))),
        Map.entry("apiextensions.k8s.io/CustomResourceDefinition", List.of(rule("/spec/group", immutable),
            rule("/spec/scope", immutable), rule("/spec/names/plural", immutable),
            rule("/spec/names/kind", immutable))));
  }
}
