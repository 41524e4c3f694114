package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.util.Map;

/**
 * What the API server's defaulting does to values of built-in kinds that the OpenAPI does not say,
 * for {@link SchemaCompiler} to mark the fields of its compiled schemas:
 *
 * <ul>
 *   <li><b>a zero it replaces</b>: a plain Go {@code int32} (no pointer) cannot tell {@code 0} from
 *       left out, and the defaulting functions set such a field when it is 0, so {@code 0} in Git is
 *       stored as the default. The full set, from {@code pkg/apis/*}{@code /v1/defaults.go} of
 *       Kubernetes read against the Go types: {@code SetDefaults_Probe} (core/v1
 *       {@code Probe}: {@code timeoutSeconds} 1, {@code periodSeconds} 10, {@code successThreshold} 1,
 *       {@code failureThreshold} 3, in every probe of every pod spec and template) and flowcontrol/v1
 *       ({@code QueuingConfiguration}: {@code handSize} 8, {@code queues} 64, {@code queueLengthLimit}
 *       50; {@code FlowSchemaSpec.matchingPrecedence} 1000). Every other number the defaulting
 *       functions of core, apps, batch, autoscaling, networking, admissionregistration, storage and
 *       flowcontrol set is a pointer, set only when nil, so its 0 is stored as 0
 *       ({@code replicas: 0}, a limited priority level's {@code nominalConcurrencyShares: 0}). Two
 *       fields take the default from a sibling and are not here but in {@link SiblingDefaults}: a
 *       Service port's {@code targetPort} (its {@code port}) and, in a Pod with {@code hostNetwork},
 *       a container port's {@code hostPort} (its {@code containerPort}). An applied field Git leaves
 *       out is stored as its zero is, so its removal against the live default is no change
 *       ({@link SchemaField}, {@link LeftOutDefaults});
 *   <li><b>a value it allocated and keeps</b>: a Service's {@code clusterIP}, {@code clusterIPs} and
 *       {@code healthCheckNodePort} and a port's {@code nodePort}, which the Service registry's
 *       {@code patchAllocatedValues} copies from the stored object into a write that leaves them
 *       empty (while the Service still needs them), so that resubmitting the same YAML succeeds, and
 *       its {@code ipFamilies}, which the allocator infers from those clusterIPs when a write leaves
 *       them empty: a manifest that leaves them out, null or zero keeps them ({@link #ALLOCATED}; an
 *       empty list is left out by {@link SiblingDefaults});
 *   <li><b>quantities rounded to the milli</b>: {@code SetDefaults_ResourceList} rounds every value
 *       of a core/v1 {@code ResourceList} up to three decimals ({@code cpu: 0.1m} is stored as
 *       {@code 1m}), wherever a core/v1 type holds one (container and pod resources, a ResourceQuota,
 *       a LimitRange, a claim's requests, a PersistentVolume's capacity, a pod spec's overhead), in
 *       the groups whose defaulting reaches them; a RuntimeClass's {@code overhead} (node/v1, no
 *       defaulting) keeps its value. Every other quantity of a built-in kind is rounded up to the
 *       nano as the server parses it ({@code resource.ParseQuantity}).
 * </ul>
 *
 * Not public API.
 */
final class Defaulting {
  /** The package of the core/v1 types, whose resource lists the server rounds to the milli. */
  private static final String CORE = "io.k8s.api.core.v1.";
  /** Decimal places of a resource list value ({@code SetDefaults_ResourceList}: milli). */
  static final int RESOURCE_LIST_SCALE = 3;
  /** Decimal places of any other quantity of a built-in kind ({@code ParseQuantity}: nano). */
  static final int QUANTITY_SCALE = 9;

  /**
   * The {@link #of} a field the server allocates and keeps: left empty in a write ({@code 0},
   * {@code ""}, null or left out), it keeps the value it allocated before.
   */
  static final JsonNode ALLOCATED = new com.fasterxml.jackson.databind.node.TextNode("(allocated)");

  private static final Map<String, Map<String, JsonNode>> ZEROS = Map.of(
      CORE + "Probe", Map.of("timeoutSeconds", IntNode.valueOf(1), "periodSeconds", IntNode.valueOf(10),
          "successThreshold", IntNode.valueOf(1), "failureThreshold", IntNode.valueOf(3)),
      CORE + "ServiceSpec", Map.of("clusterIP", ALLOCATED, "clusterIPs", ALLOCATED, "ipFamilies", ALLOCATED,
          "healthCheckNodePort", ALLOCATED),
      CORE + "ServicePort", Map.of("nodePort", ALLOCATED),
      "io.k8s.api.flowcontrol.v1.QueuingConfiguration", Map.of("handSize", IntNode.valueOf(8),
          "queues", IntNode.valueOf(64), "queueLengthLimit", IntNode.valueOf(50)),
      "io.k8s.api.flowcontrol.v1.FlowSchemaSpec", Map.of("matchingPrecedence", IntNode.valueOf(1000)));

  private Defaulting() {}

  /**
   * The value the server stores in place of a zero in field {@code field} of the named type, or null
   * when it keeps a zero there (or drops it).
   */
  static JsonNode of(String typeName, String field) {
    Map<String, JsonNode> fields = typeName == null ? null : ZEROS.get(typeName);
    return fields == null ? null : fields.get(field);
  }

  /** True when a map of quantities held by the named type is a resource list the server rounds to the milli. */
  static boolean roundsToMilli(String typeName) {
    return typeName != null && typeName.startsWith(CORE);
  }
}
