package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;

/**
 * What the Kubernetes diff knows about each kind's fields, as a {@link FieldSchema}: which lists
 * are keyed ({@code x-kubernetes-list-type: map} with its {@code x-kubernetes-list-map-keys}, else
 * the patch merge key), which are sets and which atomic; which fields are quantities or
 * int-or-string; which fields the server drops when zero. Per group, version and kind, from these
 * sources, first match first:
 *
 * <ol>
 *   <li>the live server's OpenAPI v3 ({@code /openapi/v3}), which a {@link KubernetesTarget} reads
 *       into its own schema ({@link KubernetesTarget#schema()}) once per target (the documents of
 *       one server version), when the server serves it;
 *   <li>the {@code openAPIV3Schema} of CustomResourceDefinitions: those learnt here
 *       ({@link #learn(JsonNode)}, {@link #learn(DesiredState)}), and those a target finds on its
 *       cluster;
 *   <li>the table of the built-in kinds shipped with the adapter, generated from the Kubernetes
 *       {@value #TABLE_VERSION} OpenAPI v3 documents ({@link #tableVersion()}).
 * </ol>
 *
 * <p>What it hides from plans, each counted in {@link dev.gitops.diff.ResourceDiff#explain()} by
 * reason: {@code zero value} (a desired {@code []}, {@code {}} map, or zero scalar the server drops,
 * or a zero its defaulting replaces: see the adapter's README for the rule), {@code quantity}
 * ({@code 1Gi} = {@code 1024Mi}; {@code cpu: 1.5m} = {@code 2m}, rounded as the server stores it),
 * {@code integer text} ({@code "80"} = {@code 80} in integer fields and a built-in kind's
 * int-or-string fields; a custom resource stores the text as text),
 * {@code pruned field} (a custom resource's field its CRD's structural schema does not declare,
 * which the server drops from every write), {@code dropped by the server} (a field {@code gitops}
 * wrote and its {@code managedFields} entry still owns, which the live object lacks: a feature
 * gate off, a field the storage version lacks),
 * {@code base64 text} (a built-in kind's bytes, such as a Secret value, written with line breaks
 * Go's decoder ignores, against the one line the server returns),
 * {@code server-appended entry} (an element only the live object has in a keyed list or set,
 * never applied; the default tolerations the API server adds to a Pod), {@code allocated value} (a
 * Service's cluster IP or node port left empty, which the server keeps) and
 * {@code owned by <manager>} (a live-only field another field manager owns, from
 * {@code metadata.managedFields}).
 *
 * <p>A value: {@link #learn} gives a new schema, {@link #builtin()} is one shared instance (so
 * presets built on it are equal). A target's schema ({@link KubernetesTarget#schema()}) is the one
 * that changes: it learns what its target reads (the server's OpenAPI, the cluster's CRDs) as it
 * reads it. Thread-safe; lookups allocate nothing for objects no other manager writes to.
 *
 * <pre>{@code
 * KubernetesSchema schema = KubernetesSchema.builtin().learn(desired);   // CRDs of the desired state
 * PlanOptions options = PlanOptions.defaults().withDiff(KubernetesDiff.options(schema));
 * }</pre>
 */
public final class KubernetesSchema implements FieldSchema {
  /** The Kubernetes version of the built-in table. */
  public static final String TABLE_VERSION = "1.35";

  private static final KubernetesSchema BUILTIN = new KubernetesSchema(new SchemaSources());

  private final SchemaSources sources;
  /** This thread's last {@link #asked} (one object's trees held). */
  private static final ThreadLocal<Asked[]> LAST_ASKED = ThreadLocal.withInitial(() -> new Asked[1]);

  private KubernetesSchema(SchemaSources sources) {
    this.sources = sources;
  }

  /** {@return the schema of the built-in kinds (the shipped table); one shared instance} */
  public static KubernetesSchema builtin() {
    return BUILTIN;
  }

  /** A schema over {@code sources} that its owner (a target) keeps learning into. */
  static KubernetesSchema learning(SchemaSources sources) {
    return new KubernetesSchema(sources);
  }

  /** {@return the Kubernetes version the shipped table of built-in kinds was generated from} */
  public static String tableVersion() {
    return SchemaSources.tableVersion();
  }

  /**
   * Learns the schemas of a CustomResourceDefinition (every version with an
   * {@code openAPIV3Schema}); a later one for the same kind and version replaces it.
   *
   * @param customResourceDefinition the CRD as a manifest or the server has it
   * @return a new schema that knows this one's kinds and the CRD's
   */
  public KubernetesSchema learn(JsonNode customResourceDefinition) {
    SchemaSources more = sources.copy();
    more.learnCrd(customResourceDefinition);
    return new KubernetesSchema(more);
  }

  /**
   * Learns the CRDs a desired state is about to create, so that their custom resources compare by
   * schema in the same plan.
   *
   * @param desired a desired state; its {@code CustomResourceDefinition} resources are read
   * @return a new schema that knows this one's kinds and those of every CRD in {@code desired}
   */
  public KubernetesSchema learn(DesiredState desired) {
    SchemaSources more = sources.copy();
    for (Resource r : desired.resources()) {
      if (isCrd(r.id()) && r.content() instanceof Content.Tree tree) {
        more.learnCrd(tree.node());
      }
    }
    return new KubernetesSchema(more);
  }

  @Override
  public Node root(ResourceId id, JsonNode actual, JsonNode desired, JsonNode lastApplied) {
    Asked asked = asked(id, actual, desired, lastApplied);
    FieldSchema.Node root = LeftOutDefaults.of(id, asked.plain(), desired, lastApplied);
    return ServiceTypeDrops.of(OneOfRefusals.of(root, asked.refused()), asked.drops());
  }

  /**
   * What one diff asks of this schema twice ({@link #removable}, then {@link #root} with what that
   * returned, the same tree when nothing was removable): the plain root of the kind, the one-of
   * refusals ({@link OneOfFields#refused}) and the Service type's drops. Both ask with the plain
   * root: the keys of a kind's lists, all the refusals' walk reads of the schema, are the same with
   * or without {@link LeftOutDefaults}.
   */
  private record Asked(ResourceId id, JsonNode actual, JsonNode desired, JsonNode lastApplied, SchemaSources sources,
                       int learnt, FieldSchema.Node plain, JsonNode refused, JsonNode drops) {
    boolean answers(ResourceId id, JsonNode actual, JsonNode desired, JsonNode lastApplied, SchemaSources sources) {
      return this.actual == actual && this.desired == desired && this.lastApplied == lastApplied && this.id == id
          && this.sources == sources && learnt == sources.learnt();
    }
  }

  /**
   * The {@link Asked} of these trees: this thread's last answer again for the same trees (by
   * identity), id and sources that learnt nothing since (the same diff, asked a second time);
   * else computed.
   */
  private Asked asked(ResourceId id, JsonNode actual, JsonNode desired, JsonNode lastApplied) {
    Asked[] last = LAST_ASKED.get();
    if (last[0] != null && last[0].answers(id, actual, desired, lastApplied, sources)) {
      return last[0];
    }
    int learnt = sources.learnt();
    FieldSchema.Node plain = sources.root(id, actual, desired);
    last[0] = new Asked(id, actual, desired, lastApplied, sources, learnt, plain,
        OneOfFields.refused(id, actual, desired, lastApplied, plain),
        ServiceTypeDrops.drops(id, actual, desired, lastApplied));
    return last[0];
  }

  /**
   * {@code lastApplied} plus what the API server drops on the write of {@code desired} that nobody
   * applied: a Service's fields its old type needed and its new one does not take (allocated node
   * ports, the health check port, the external traffic policy, ...), which the diff then shows as
   * removals ({@link ServiceTypeDrops}); and, written by server-side apply, an alternative of a
   * one-of group another manager keeps beside the one {@code desired} sets, which the server would
   * keep and then refuse ({@link OneOfRefusals}): its removal shows as a conflict with that manager.
   */
  @Override
  public JsonNode removable(ResourceId id, JsonNode actual, JsonNode desired, JsonNode lastApplied) {
    Asked asked = asked(id, actual, desired, lastApplied);
    return OneOfRefusals.removable(asked.refused(), ServiceTypeDrops.removable(asked.drops(), lastApplied));
  }

  /**
   * The root of {@code id}'s kind when it is a custom kind whose CRD this schema learnt, at the
   * version of {@code apiVersion} (null: any); else null.
   */
  SchemaField custom(ResourceId id, String apiVersion) {
    return sources.custom(id.group(), id.kind(), apiVersion);
  }

  /**
   * The CRD version a custom kind learnt serves at {@code apiVersion} exactly (its raw schema and
   * compiled root), or null.
   */
  KindSchemas.Entry customEntry(ResourceId id, String apiVersion) {
    return sources.customEntry(id.group(), id.kind(), apiVersion);
  }

  static boolean isCrd(ResourceId id) {
    return "CustomResourceDefinition".equals(id.kind()) && "apiextensions.k8s.io".equals(id.group());
  }

  @Override
  public String toString() {
    return "KubernetesSchema[" + sources + "]";
  }
}
