package dev.gitops.k8s;

import static dev.gitops.k8s.AdmissionShapes.allOf;
import static dev.gitops.k8s.AdmissionShapes.defaultToleration;
import static dev.gitops.k8s.AdmissionShapes.defaultedPolicy;
import static dev.gitops.k8s.AdmissionShapes.fromLabelKeys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.diff.FieldSchema;

/**
 * What the API server adds to a bare Pod's atomic values (lists matched by position, maps owned
 * whole) that the schema cannot tell, each element or key only the live Pod has a
 * {@value SchemaField#SERVER_APPENDED}, not a removal:
 *
 * <ul>
 *   <li>the {@code DefaultTolerationSeconds} admission plugin appends to {@code spec.tolerations} a
 *       toleration of {@code node.kubernetes.io/not-ready} and one of
 *       {@code node.kubernetes.io/unreachable} ({@code operator: Exists}, {@code effect: NoExecute},
 *       {@code tolerationSeconds} as the cluster configures it, 300 by default);
 *   <li>the {@code RuntimeClass} admission plugin, on the create of a Pod that names a
 *       {@code runtimeClassName} whose class declares {@code scheduling}, merges the class's
 *       {@code nodeSelector} into the Pod's (atomic) and its tolerations after the Pod's
 *       ({@code plugin/pkg/admission/runtimeclass/admission.go} {@code setScheduling},
 *       {@code tolerations.MergeTolerations}); the class is not known here, so on a live Pod that
 *       names a class every {@code nodeSelector} key and toleration only the live Pod has is taken
 *       as the plugin's. The field manager runs before admission, so {@code gitops} owns both values
 *       whole, and the update that removed them was refused on every run: a Pod's
 *       {@code nodeSelector} is immutable and its tolerations only grow ({@code ValidatePodUpdate}),
 *       so a removal Git means could not be written either (corpus pair 431);
 *   <li>the Pod strategy's {@code PrepareForCreate} ({@code pkg/registry/core/pod/strategy.go}
 *       {@code mutatePodAffinity}, {@code mutateTopologySpreadConstraints}; the gates
 *       MatchLabelKeysInPodAffinity and MatchLabelKeysInPodTopologySpreadSelectorMerge are on in
 *       1.35) appends to the (atomic) label selector of each pod (anti-)affinity term and topology
 *       spread constraint with {@code matchLabelKeys} an expression {@code key In [value of the
 *       Pod's label]} per key, and {@code NotIn} per key of {@code mismatchLabelKeys}; the strategy
 *       runs after the field manager, so {@code gitops} owns the selector whole (corpus pair 434);
 *   <li>{@code SetDefaults_Pod} of 1.30 to 1.32 (added in 1.27), with the feature gate
 *       {@code InPlacePodVerticalScaling} enabled (alpha, off by default; 1.33 removed the defaulting,
 *       kubernetes#128920), appends {@code {resourceName: cpu|memory, restartPolicy: NotRequired}}
 *       to a container's {@code resizePolicy} for cpu and memory in its requests (defaulted from its
 *       limits) that the list does not name: in {@code spec.containers} only, never in init
 *       containers or a template. Judged against the desired container, so a policy Git gives is
 *       compared, and Git leaving out a whole list of such entries that it applied is a
 *       {@value SchemaField#DEFAULT_VALUE}.
 * </ul>
 *
 * The nodeSelector keys only the live Pod has where another manager owns the nodeSelector too (a
 * controller of gated Pods that added its keys took the atomic map; an apply of it after shares it),
 * the expressions only the live Pod has in a required node affinity term another manager owns
 * (one that narrowed Git's terms while the Pod was gated), the preferred node affinity terms only the
 * live Pod has where another manager owns that list (a gated Pod's preferences are free to change),
 * the tolerations only the live Pod has where another manager owns the list (any Pod takes added
 * tolerations, and never loses one), and the {@code tolerationSeconds} such a manager set on a
 * toleration Git gives without them (the one field of an existing toleration any update may change,
 * {@code validateOnlyAddedTolerations}), are that manager's, {@code owned by <manager>}, not removals
 * ({@link LivePod#owners}); an update's body carries them and the resize policies above ({@link #keptOnUpdate}).
 * Seconds Git gives are Git's, whoever changed them: a change of them is drift, which the update
 * repairs (forced where another manager owns the list), and a live toleration equal to one of Git's
 * but for its seconds is that one ({@link #sameEntry}), never kept beside it as another.
 *
 * A scheduling gate Git gives that the live Pod lacks was removed by the controller waiting on it:
 * no update may add a gate ({@link #UNGATED}), so it is no add either, and an update's body leaves it
 * out ({@link PodAppended}).
 *
 * <p>(What the {@code ServiceAccount} plugin adds, {@code imagePullSecrets} and the projected
 * {@code kube-api-access-*} volume and its mounts, goes to keyed lists, where the schema already
 * makes actual-only elements no drift.) Wraps the schema of kind Pod along those paths only. Not
 * public API.
 */
final class PodAdmission extends ForwardingNode {
  /** Where a node sits on the wrapped paths. */
  private enum At { ROOT, SPEC, GATES, GATE, TOLERATIONS, TOLERATION, TOLERATION_SECONDS, CONTAINERS, CONTAINER, RESIZE_POLICY, POLICY,
    NODE_SELECTOR, SELECTOR_KEY, NODE_AFFINITY, REQUIRED, NODE_TERMS, NODE_TERM, NODE_EXPRESSIONS, NODE_EXPRESSION,
    PREFERRED, PREFERRED_TERM,
    AFFINITY, POD_AFFINITY, TERMS, WEIGHTED_TERMS, WEIGHTED_TERM, SPREADS, TERM,
    LABEL_SELECTOR, EXPRESSIONS, EXPRESSION }

  /**
   * Why a scheduling gate Git gives that the live Pod lacks is no drift: once created, a Pod's gates
   * can only be removed ({@code validateOnlyDeletedSchedulingGates}: "only deletion is allowed"), as
   * the controller that waits on a gate does when it lets the Pod be scheduled.
   */
  static final String UNGATED = "scheduling gate removed";

  private final At at;
  /** What the live Pod says of the additions it holds. */
  private final LivePod live;
  /**
   * The desired container below {@link At#CONTAINER}, or affinity term or spread constraint below
   * {@link At#TERM} (or the live one when only it has it).
   */
  private final JsonNode container;

  private PodAdmission(FieldSchema.Node schema, At at, JsonNode container, LivePod live) {
    super(schema);
    this.at = at;
    this.container = container;
    this.live = live;
  }

  private PodAdmission(FieldSchema.Node schema, At at, JsonNode container, PodAdmission parent) {
    this(schema, at, container, parent.live);
  }

  /** The root of a Pod's schema (may be null) with the admission additions known; {@code actual} is the live Pod or null. */
  static FieldSchema.Node pod(FieldSchema.Node root, JsonNode actual) {
    return new PodAdmission(root, At.ROOT, null, LivePod.of(actual));
  }

  @Override
  public FieldSchema.Node field(String name) {
    FieldSchema.Node child = schemaField(name);
    At next = switch (at) {
      case ROOT -> name.equals("spec") ? At.SPEC : null;
      case SPEC -> name.equals("tolerations") ? At.TOLERATIONS : name.equals("containers") ? At.CONTAINERS
          : name.equals("schedulingGates") ? At.GATES
          : name.equals("nodeSelector") && (live.runtimeClass() || live.selectorOwners() != null) ? At.NODE_SELECTOR
          : next(name);
      case CONTAINER -> name.equals("resizePolicy") ? At.RESIZE_POLICY : null;
      case TOLERATION -> name.equals("tolerationSeconds") ? At.TOLERATION_SECONDS : null;
      case NODE_SELECTOR -> At.SELECTOR_KEY;
      default -> next(name);
    };
    JsonNode context = at == At.WEIGHTED_TERM && next == At.TERM ? container.path("podAffinityTerm") : container;
    return next == null ? child : new PodAdmission(child, next, context, this);
  }

  @Override
  public FieldSchema.Node element(JsonNode element) {
    FieldSchema.Node child = schemaElement(element);
    return switch (at) {
      case TOLERATIONS -> new PodAdmission(child, At.TOLERATION, null, this);
      case GATES -> new PodAdmission(child, At.GATE, null, this);
      case NODE_TERMS -> new PodAdmission(child, At.NODE_TERM, null, this);
      case NODE_EXPRESSIONS -> new PodAdmission(child, At.NODE_EXPRESSION, null, this);
      case PREFERRED -> new PodAdmission(child, At.PREFERRED_TERM, null, this);
      case CONTAINERS -> new PodAdmission(child, At.CONTAINER, element, this);
      case RESIZE_POLICY -> new PodAdmission(child, At.POLICY, container, this);
      case TERMS, SPREADS -> new PodAdmission(child, At.TERM, element, this);
      case WEIGHTED_TERMS -> new PodAdmission(child, At.WEIGHTED_TERM, element, this);
      case EXPRESSIONS -> new PodAdmission(child, At.EXPRESSION, container, this);
      default -> child;
    };
  }

  @Override
  public String hidden(JsonNode actual, JsonNode desired, JsonNode lastApplied) {
    if ((at == At.GATE || at == At.GATES) && actual == null && desired != null) {
      return UNGATED;
    }
    if (desired == null && actual != null) {
      if (at == At.SELECTOR_KEY && !live.runtimeClass()) {
        return live.selectorOwners(); // another manager's key: theirs, which an update keeps
      }
      if (at == At.NODE_EXPRESSION || at == At.NODE_EXPRESSIONS) {
        return live.affinityOwners(); // another manager's narrowing of Git's required term
      }
      if (at == At.PREFERRED_TERM) {
        return live.preferredOwners(); // another manager's preference, added while gated
      }
      if ((at == At.TOLERATION && !live.runtimeClass() && !defaultToleration(actual) || at == At.TOLERATION_SECONDS)
          && live.tolerationOwners() != null) {
        return live.tolerationOwners(); // another manager's toleration (none can be removed), or seconds they set
      }
      if (at == At.TOLERATION && (live.runtimeClass() || defaultToleration(actual)) || at == At.SELECTOR_KEY
          || at == At.POLICY && defaultedPolicy(actual, container)
          || at == At.EXPRESSION && fromLabelKeys(actual, container)
          || at == At.EXPRESSIONS && allOf(actual, container, AdmissionShapes::fromLabelKeys)) {
        return SchemaField.SERVER_APPENDED;
      }
      if (keptWhole(actual, lastApplied)) {
        return SchemaField.DEFAULT_VALUE;
      }
    }
    return super.hidden(actual, desired, lastApplied);
  }

  /**
   * True when {@code actual}, which only the live Pod has here, is what an update's apply body must
   * carry ({@link PodAppended}): the atomic value the apply replaces would lose it, and
   * {@code ValidatePodUpdate} refuses that. What a writer appended on create only, which no update
   * puts back: the {@code RuntimeClass} plugin's nodeSelector key or toleration
   * ({@code NewHandler(admission.Create)}) and the Pod strategy's selector expressions
   * ({@code PrepareForCreate}; {@code PrepareForUpdate} does not call {@code mutatePodAffinity}).
   * The resize policies {@code SetDefaults_Pod} of 1.30 to 1.32 appended with
   * {@code InPlacePodVerticalScaling} on: that defaulting appends them again to an update only while
   * the gate is on and the server older than 1.33 (kubernetes#128920 removed it); the Pod outlives
   * both, and a container's {@code resizePolicy} is not among the fields an update may change
   * ({@code ValidatePodUpdate} munges images only; the {@code resize} subresource is another
   * request), so an apply that drops them is refused on every run once either changed (with them
   * carried, a server that still defaults finds them named and appends nothing). The nodeSelector
   * keys of a Pod whose nodeSelector another manager owns too (a controller adding its keys while
   * the Pod was gated took it): Git's value alone conflicts with that manager, and forced it
   * would remove the keys, which {@code validateNodeSelectorMutation} refuses while gated and the
   * immutable nodeSelector after; likewise the expressions such a controller appended to a required
   * node affinity term it owns ({@code validateNodeAffinityMutation}), and the preferred node terms of
   * a list it owns (once ungated, immutable). The {@code DefaultTolerationSeconds} tolerations only
   * where another manager owns the list too (its added tolerations kept, which no update may remove):
   * Git's list with theirs but without these would differ from the stored one, a conflict with that
   * manager; else that plugin, which admits updates too ({@code NewHandler(admission.Create,
   * admission.Update)}), appends them again unless the Pod already tolerates the taint (a toleration
   * Git gives it then takes their place).
   */
  boolean keptOnUpdate(JsonNode actual) {
    return (at == At.TOLERATION || at == At.TOLERATION_SECONDS) && live.tolerationOwners() != null
        || at == At.TOLERATION && live.runtimeClass() && !defaultToleration(actual)
        || at == At.SELECTOR_KEY || at == At.NODE_EXPRESSION || at == At.NODE_EXPRESSIONS || at == At.PREFERRED_TERM
        || at == At.EXPRESSION && fromLabelKeys(actual, container)
        || at == At.EXPRESSIONS && allOf(actual, container, AdmissionShapes::fromLabelKeys)
        || at == At.POLICY && defaultedPolicy(actual, container);
  }

  /**
   * True when {@code actual}, a container's whole {@code resizePolicy} Git left out after it applied
   * one ({@code lastApplied} not null), holds only policies {@link AdmissionShapes#defaultedPolicy}:
   * NotRequired for cpu or memory the container asks for, which is what a container without the list
   * gets (the kubelet's implicit default since 1.33, kubernetes#128917; appended by
   * {@code SetDefaults_Pod} of 1.30 to 1.32 with the gate on): a {@value SchemaField#DEFAULT_VALUE},
   * and what an update's body carries ({@link PodAppended}). The apply without it removes the list
   * {@code gitops} owns, and no server takes that: a container's policies change through the
   * {@code resize} subresource only ({@code ValidatePodResize}; {@code ValidatePodUpdate} munges
   * images), and 1.33 and later no longer default it back (kubernetes#128920), so every update of the
   * Pod was refused.
   */
  boolean keptWhole(JsonNode actual, JsonNode lastApplied) {
    return at == At.RESIZE_POLICY && lastApplied != null && allOf(actual, container, AdmissionShapes::defaultedPolicy);
  }

  /** Where a field leads below the affinity terms and spread constraints of a Pod's spec; null elsewhere. */
  private At next(String name) {
    return switch (at) {
      case SPEC -> name.equals("affinity") ? At.AFFINITY : name.equals("topologySpreadConstraints") ? At.SPREADS : null;
      case AFFINITY -> name.equals("podAffinity") || name.equals("podAntiAffinity") ? At.POD_AFFINITY
          : name.equals("nodeAffinity") && (live.affinityOwners() != null || live.preferredOwners() != null)
          ? At.NODE_AFFINITY : null;
      case NODE_AFFINITY -> name.equals("requiredDuringSchedulingIgnoredDuringExecution") && live.affinityOwners() != null
          ? At.REQUIRED : name.equals("preferredDuringSchedulingIgnoredDuringExecution") && live.preferredOwners() != null
          ? At.PREFERRED : null;
      case REQUIRED -> name.equals("nodeSelectorTerms") ? At.NODE_TERMS : null;
      case NODE_TERM -> name.equals("matchExpressions") || name.equals("matchFields") ? At.NODE_EXPRESSIONS : null;
      case POD_AFFINITY -> name.equals("requiredDuringSchedulingIgnoredDuringExecution") ? At.TERMS
          : name.equals("preferredDuringSchedulingIgnoredDuringExecution") ? At.WEIGHTED_TERMS : null;
      case WEIGHTED_TERM -> name.equals("podAffinityTerm") ? At.TERM : null;
      case TERM -> name.equals("labelSelector") ? At.LABEL_SELECTOR : null;
      case LABEL_SELECTOR -> name.equals("matchExpressions") ? At.EXPRESSIONS : null;
      default -> null;
    };
  }

  /**
   * The element of the live atomic list {@code actual} that element {@code i} of an update's body,
   * {@code element}, stands for, or null when none: for tolerations the one equal to it but for its
   * {@code tolerationSeconds} ({@link #sameEntry}), wherever it stands; for any other list the element
   * at the same position, as the diff matches an atomic list's.
   */
  JsonNode counterpart(JsonNode element, JsonNode actual, int i) {
    if (at != At.TOLERATIONS) {
      return i < actual.size() ? actual.get(i) : null;
    }
    for (JsonNode t : actual) {
      if (sameEntry(t, element)) {
        return t;
      }
    }
    return null;
  }

  /**
   * True when {@code a} and {@code b}, elements of this list, are one entry to {@code ValidatePodUpdate}:
   * tolerations equal but for {@code tolerationSeconds}, the one field of an existing toleration any
   * update may change ({@code validateOnlyAddedTolerations} compares them with it cleared); any other
   * elements equal.
   */
  boolean sameEntry(JsonNode a, JsonNode b) {
    if (at == At.TOLERATIONS && a instanceof com.fasterxml.jackson.databind.node.ObjectNode x
        && b instanceof com.fasterxml.jackson.databind.node.ObjectNode y) {
      return Json.sameValue(x.deepCopy().without("tolerationSeconds"), y.deepCopy().without("tolerationSeconds"));
    }
    return Json.sameValue(a, b);
  }
}
