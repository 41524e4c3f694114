package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.model.ResourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The built-in one-of groups ("unions") of the API types, keyed by type name, as the API server's
 * validation enforces them (kubernetes {@code pkg/apis/core/validation/validation.go}), and where
 * they sit in the built-in kinds:
 *
 * <ul>
 *   <li>{@code EnvVar}: {@code value} (not empty) or {@code valueFrom}
 *       ({@code validateEnvVarValueFrom}: "may not be specified when `value` is not empty");
 *   <li>{@code EnvVarSource}: one of {@code fieldRef}, {@code resourceFieldRef},
 *       {@code configMapKeyRef}, {@code secretKeyRef}, {@code fileKeyRef}
 *       ("may not have more than one field specified at a time");
 *   <li>{@code Probe}: one handler of {@code exec}, {@code httpGet}, {@code tcpSocket}, {@code grpc}
 *       ({@code validateHandler}: "may not specify more than 1 handler type");
 *   <li>{@code LifecycleHandler}: one of {@code exec}, {@code httpGet}, {@code tcpSocket},
 *       {@code sleep} (the same check);
 *   <li>{@code Volume}: one volume source ({@code validateVolumeSource}: "may not specify more than
 *       1 volume type");
 *   <li>{@code IngressBackend}, an Ingress's {@code defaultBackend}: {@code service} or
 *       {@code resource} ({@code pkg/apis/networking/validation/validation.go}
 *       {@code validateIngressBackend}: "cannot set both resource and service backends");
 *   <li>{@code WebhookClientConfig}, of each webhook of a Validating- or
 *       MutatingWebhookConfiguration and of a CRD's conversion webhook: {@code url} or
 *       {@code service} ({@code pkg/apis/admissionregistration/validation/validation.go},
 *       apiextensions {@code validateCustomResourceConversion}: "exactly one of url or service is
 *       required").
 * </ul>
 *
 * Left out, as server-side apply never merges two managers' alternatives there: groups inside an
 * atomic list, which an apply replaces whole ({@code EnvFromSource} in a container's
 * {@code envFrom}, {@code VolumeProjection} in {@code projected.sources}, {@code NetworkPolicyPeer}
 * in a rule's {@code from}/{@code to}, an Ingress rule's backends, an HPA's metrics) or an atomic
 * struct ({@code ServiceBackendPort}: name or number); and a PersistentVolume's source, which
 * validation keeps as created ({@code ValidatePersistentVolumeUpdate}: "spec.persistentvolumesource
 * is immutable after creation"), so no removal lets such an apply through ({@link ImmutableFields}).
 *
 * Server-side apply merges Git's configuration into the live object and keeps every field another
 * manager owns, so when Git sets one alternative and another manager keeps a different one, the
 * merged object holds both and validation refuses every apply (422). Likewise when Git drops a group
 * that requires an alternative (a probe) while another manager owns a field in it but none of its
 * alternatives ({@code timeoutSeconds} by {@code kubectl edit}): the apply prunes Git's alternative
 * and keeps that field, a probe without a handler. And when Git drops an element of a keyed list
 * (a container, a volume, a webhook) that another manager owns itself, the prune keeps it with that
 * manager's fields, which may leave it without a value validation requires ({@link KeptElements}: a
 * container without its image). {@link #refused} finds such fields and elements so that the plan
 * shows them ({@link OneOfRefusals}); the walk down the object is {@link OneOfWalk}'s. So is a
 * volume source no manager owns beside the one Git sets, marked {@link #UNOWNED}: the
 * {@code emptyDir: {}} core/v1 {@code SetDefaults_Volume} gives a volume whose source Git left out,
 * which no Apply entry owns and the apply keeps (the prune removes only what the applier owned), so
 * validation refuses the volume once Git gives it another source; the writer removes it under
 * either strategy, forced or not (there is no manager to conflict with).
 * Not public API.
 */
final class OneOfFields {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<String> HANDLERS = List.of("exec", "httpGet", "tcpSocket", "grpc");
  /** The mark of an alternative no manager owns: removed by the write, never a conflict (not empty: a leaf the diff reads). */
  static final String UNOWNED = "(no manager)";

  /** Type name to its alternatives. */
  static final Map<String, List<String>> GROUPS = Map.of(
      "EnvVar", List.of("value", "valueFrom"),
      "EnvVarSource", List.of("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef", "fileKeyRef"),
      "Probe", HANDLERS,
      "LifecycleHandler", List.of("exec", "httpGet", "tcpSocket", "sleep"),
      "Volume", List.of("hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret",
          "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker",
          "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk",
          "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral",
          "image"),
      "IngressBackend", List.of("service", "resource"),
      "WebhookClientConfig", List.of("url", "service"));

  /**
   * The groups validation requires one alternative of (the others may have none): a probe's or
   * hook's handler ({@code validateHandler}: "must specify a handler type"), a value source
   * ({@code validateEnvVarValueFrom}: "must specify one of"), a webhook's client config ("exactly
   * one of url or service is required"). An env var may have neither {@code value} nor
   * {@code valueFrom}. A volume's source is required too ({@link #requiresOne}); a volume is an element
   * of a keyed list, which the prune keeps only for a manager that owns it itself ({@link KeptElements}).
   */
  static final java.util.Set<String> REQUIRED =
      java.util.Set.of("Probe", "LifecycleHandler", "EnvVarSource", "WebhookClientConfig");

  /** Type name to its fields that hold a type of interest: field to type, {@code []} for a list keyed by name. */
  static final Map<String, Map<String, String>> CHILDREN = Map.ofEntries(Map.entry(
      "PodSpec", Map.of("containers", "Container[]", "initContainers", "Container[]",
          "ephemeralContainers", "Container[]", "volumes", "Volume[]")),
      Map.entry("Container", Map.of("env", "EnvVar[]", "livenessProbe", "Probe", "readinessProbe", "Probe",
          "startupProbe", "Probe", "lifecycle", "Lifecycle")),
      Map.entry("Lifecycle", Map.of("postStart", "LifecycleHandler", "preStop", "LifecycleHandler")),
      Map.entry("EnvVar", Map.of("valueFrom", "EnvVarSource")),
      Map.entry("IngressSpec", Map.of("defaultBackend", "IngressBackend")),
      Map.entry("WebhookConfiguration", Map.of("webhooks", "Webhook[]")),
      Map.entry("Webhook", Map.of("clientConfig", "WebhookClientConfig")),
      Map.entry("CustomResourceDefinitionSpec", Map.of("conversion", "CustomResourceConversion")),
      Map.entry("CustomResourceConversion", Map.of("webhook", "WebhookConversion")),
      Map.entry("WebhookConversion", Map.of("clientConfig", "WebhookClientConfig")));

  private OneOfFields() {}

  /** One other manager's field set at a place of the object. */
  record Owned(String manager, JsonNode set) {}

  /**
   * The alternatives of the live object another manager keeps beside the one Git sets, as a tree
   * that names each such field with the managers owning it ({@code {spec: {template: {spec:
   * {containers: [{name: web, env: [{name: FOO, valueFrom: "kubectl-set"}]}]}}}}}), or the whole group
   * Git dropped that another manager keeps without an alternative ({@code readinessProbe:
   * "kubectl-edit"}); null when none.
   * Under either strategy: a JSON patch leaves another manager's field alone as server-side apply
   * keeps it, and the server validates the patched object alike. A field only {@code gitops} owns
   * goes with the write anyway.
   */
  static JsonNode refused(ResourceId id, JsonNode actual, JsonNode desired) {
    return refused(id, actual, desired, null, null);
  }

  /**
   * As {@link #refused(ResourceId, JsonNode, JsonNode)}, and each element of a keyed list Git dropped
   * that another manager keeps in a shape validation refuses, marked whole ({@code {name: sidecar,
   * ".": "hotfix"}}, {@link KeptElements#refusedBy}): below the groups' roots, and in any kind, any
   * keyed list whose elements' schema lists {@code required} fields ({@link RequiredFields}: an
   * owner reference, a ValidatingAdmissionPolicy's {@code matchConditions} and {@code variables}).
   *
   * @param last what {@code gitops} applied last (the record or, under server-side apply, its
   *     entry's fields, {@link ManagedFields#applied}), or null: no element is judged
   * @param schema the schema node of the object (its lists' keys), or null
   */
  static JsonNode refused(ResourceId id, JsonNode actual, JsonNode desired, JsonNode last, FieldSchema.Node schema) {
    if (actual == null || desired == null) {
      return null;
    }
    List<Owned> owned = new ArrayList<>();
    for (JsonNode entry : actual.path("metadata").path("managedFields")) {
      if (!ManagedFields.ours(entry) && entry.get("fieldsV1") instanceof ObjectNode set) {
        owned.add(new Owned(entry.path("manager").asText(), set));
      }
    }
    GroupRoots.Root root = GroupRoots.of(id);
    if (owned.isEmpty() && (root == null || !root.type().equals("PodSpec"))) {
      return null; // asked of every object: with no other manager only a pod's unowned volume source counts
    }
    Mine top = new Mine(last == null ? NODES.missingNode() : last, schema);
    ObjectNode out = NODES.objectNode();
    if (root != null) {
      OneOfWalk.groups(root, actual, desired, owned, top, out);
    }
    if (!owned.isEmpty()) {
      // elements of every keyed list, from the object's root, kept without a required field
      RequiredFields.mark(actual, desired, owned, top, out);
    }
    return out.isEmpty() ? null : out;
  }

  /**
   * The fields of {@code refused} as {@code /pointer (manager name)} into {@code live} (an element
   * of a named list by its live index), one per manager, sorted; empty for null.
   */
  static List<String> conflicts(JsonNode refused, JsonNode live) {
    java.util.TreeSet<String> out = new java.util.TreeSet<>();
    if (refused != null) {
      pointers(refused, live, "", out);
    }
    return new ArrayList<>(out);
  }

  /**
   * The fields of {@code refused} as the API server names them in a conflict ({@link FieldPaths}:
   * {@code .spec.template.spec.containers[name="app"].env[name="PORT"].valueFrom (manager kubectl-set)}),
   * list elements matched as {@code root} says; sorted, empty for null. Both strategies print them so.
   */
  static List<String> conflicts(JsonNode refused, JsonNode live, dev.gitops.diff.FieldSchema.Node root) {
    java.util.TreeSet<String> out = new java.util.TreeSet<>();
    for (String conflict : conflicts(refused, live)) {
      int at = conflict.indexOf(" (manager ");
      out.add(FieldPaths.of(conflict.substring(0, at), live, root) + conflict.substring(at));
    }
    return new ArrayList<>(out);
  }

  private static void pointers(JsonNode marks, JsonNode live, String path, java.util.Set<String> out) {
    for (Map.Entry<String, JsonNode> e : marks.properties()) {
      String p = path + "/" + e.getKey();
      JsonNode mark = e.getValue();
      if (e.getKey().equals(RequiredFields.KEY)) {
        continue; // an element's key fields, naming it
      } else if (mark.isObject()) {
        pointers(mark, live.path(e.getKey()), p, out);
      } else if (mark.isArray()) {
        JsonNode list = live.path(e.getKey());
        for (JsonNode element : mark) {
          for (int i = 0; i < list.size(); i++) {
            if (RequiredFields.names(element, list.get(i))) {
              pointers(element, list.get(i), p + "/" + i, out);
            }
          }
        }
      } else if (!e.getKey().equals("name") && !e.getKey().equals(RequiredFields.KEY)
          && !UNOWNED.equals(mark.asText())) {
        for (String manager : mark.asText().split(", ")) {
          out.add((e.getKey().equals(".") ? path : p) + " (manager " + manager + ")"); // "." marks the element whole
        }
      }
    }
  }

  /** What {@code gitops} applied last at a place of the object, and the schema node there (null when unknown). */
  record Mine(JsonNode last, FieldSchema.Node schema) {
    Mine field(String f) {
      return new Mine(last.path(f), schema == null ? null : schema.field(f));
    }

    Mine element(String field, JsonNode live) {
      JsonNode applied = byName(last.path(field), live.path("name").asText(null));
      FieldSchema.Node list = schema == null ? null : schema.field(field);
      return new Mine(applied == null ? NODES.missingNode() : applied, list == null ? null : list.element(live));
    }
  }

  /**
   * True when a group of {@code type} that validation requires one alternative of is left with none
   * once Git drops it: {@code desired} has no such field, {@code actual} has it, and another manager
   * owns something in it (a {@code kubectl edit} of a probe's {@code timeoutSeconds}) but none of its
   * alternatives. Server-side apply prunes Git's alternative and keeps that manager's field with the
   * unowned defaults beside it (structured-merge-diff {@code merge/update.go} {@code prune}), and
   * validation refuses the group without an alternative on every run ({@code validateHandler}: "must
   * specify a handler type"). An alternative nobody owns would stay too; Git's applied alternative
   * is owned by its apply, so it is taken as going.
   */
  private static boolean emptied(String type, JsonNode actual, JsonNode desired, List<Owned> owned) {
    if (!REQUIRED.contains(type) || !actual.isObject() || !(desired.isMissingNode() || desired.isNull())
        || others(owned).isEmpty()) {
      return false;
    }
    return GROUPS.get(type).stream().allMatch(m -> others(RequiredFields.step(owned, "f:" + m)).isEmpty());
  }

  /**
   * {@code owned} without the entries of {@code gitops} (its Update entry under JSON Patch, which
   * the patch's removal of Git's dropped field takes along).
   */
  static List<Owned> others(List<Owned> owned) {
    if (owned.isEmpty()) {
      return List.of(); // the common case, asked per object and element: no stream
    }
    return owned.stream().filter(o -> !Labels.FIELD_MANAGER.equals(o.manager())).toList();
  }

  /** True when alternative {@code m} of {@code type} counts as set: an env var's empty value does not. */
  static boolean set(String type, String m, JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return false;
    }
    return !(type.equals("EnvVar") && m.equals("value") && v.asText().isEmpty());
  }

  /** True when validation requires one alternative of the group of {@code type} (a volume's source too). */
  static boolean requiresOne(String type) {
    return REQUIRED.contains(type) || type.equals("Volume");
  }

  /**
   * True when {@code id}'s kind holds one-of groups of this table; {@link #refused} judges any kind's
   * keyed lists too ({@link RequiredFields}).
   */
  static boolean holdsGroups(ResourceId id) {
    return GroupRoots.of(id) != null;
  }

  /** The element of {@code list} whose {@code name} is {@code name}; null when none (or {@code name} is null). */
  static JsonNode byName(JsonNode list, String name) {
    if (name == null) {
      return null;
    }
    for (JsonNode e : list) {
      if (name.equals(e.path("name").asText(null))) {
        return e;
      }
    }
    return null;
  }
}
