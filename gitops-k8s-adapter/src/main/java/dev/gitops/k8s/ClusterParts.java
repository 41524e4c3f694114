package dev.gitops.k8s;

import dev.gitops.diff.PathRule;
import dev.gitops.plan.PlanOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one {@link KubernetesTarget} is made of: its reader and writer over the cluster, the live
 * objects they share, the deploy history, the lock of the whole cluster (whose holds the writer
 * asks before every step), the schema and the plan options made with it.
 */
record ClusterParts(ClusterReader reader, ClusterWriter writer, LiveCache cache, ClusterHistory history,
                    LeaseLockable clusterLock, KubernetesSchema schema, PlanOptions planDefaults) {

  /**
   * What the targets of one cluster can share: the schemas learnt (the server's OpenAPI documents,
   * CRDs), the kinds resolved, the OpenAPI documents read, the last-applied records written lately
   * (one bound for them all), the kind inventory of each namespace. A {@link ClusterCache} holds one
   * for all its targets; a target on a bare client has its own.
   */
  record Shared(SchemaSources schemas, KindResolver kinds, LiveOpenApi openApi, AppliedRecord.Written records,
                java.util.Map<String, KindGroup> groups) {
    static Shared of(KubernetesClient client) {
      SchemaSources schemas = new SchemaSources();
      return new Shared(schemas, new KindResolver(client, schemas), new LiveOpenApi(client, schemas),
          new AppliedRecord.Written(), new ConcurrentHashMap<>());
    }

    /** The kind inventory the targets share in {@code sheets}' namespace, written through the first one's. */
    KindGroup group(KindSheets sheets) {
      return groups.computeIfAbsent(sheets.namespace(), n -> new KindGroup(sheets));
    }
  }

  /**
   * The parts of a target on {@code client} with {@code options}, reading through {@code watch} (or
   * null), with {@code shared}'s schemas and kinds.
   */
  static ClusterParts of(KubernetesClient client, KubernetesTarget.Options options, WatchCache watch,
                         Shared shared, String describe) {
    SchemaSources schemas = shared.schemas();
    KubernetesSchema schema = KubernetesSchema.learning(schemas);
    KindResolver kinds = shared.kinds();
    LiveCache cache = new LiveCache(shared.records());
    Set<String> seenKinds = ConcurrentHashMap.newKeySet();
    var sheets = new KindSheets(client, options.inventoryNamespace(), watch);
    // the targets of a cache share one inventory: a fleet's cold start writes it once, not once per reconciler
    var inventory = new KindInventory(sheets, watch == null ? null : shared.group(sheets), options.dryRun());
    boolean serverSide = options.strategy() == ApplyStrategy.SERVER_SIDE;
    var reader = new ClusterReader(client, kinds, cache, options.kinds(), seenKinds, inventory,
        serverSide, shared.openApi(), watch);
    PlanOptions planDefaults = PlanOptions.defaults()
        .withDiff(KubernetesDiff.options(schema, options.ignore().toArray(new PathRule[0])))
        .withKindOrder(KubernetesKinds.order());
    LeaseHolds holds = new LeaseHolds();
    var writer = new ClusterWriter(client, kinds, cache, options, seenKinds, inventory, schemas, watch,
        new ReadBack(client, new LazyDiffer(planDefaults.diff()), serverSide), holds);
    var history = new ClusterHistory(client, options.inventoryNamespace(),
        KubernetesTarget.HISTORY_CONFIG_MAP, describe);
    return new ClusterParts(reader, writer, cache, history,
        LeaseLockable.cluster(client, options.inventoryNamespace(), describe, holds), schema, planDefaults);
  }
}
