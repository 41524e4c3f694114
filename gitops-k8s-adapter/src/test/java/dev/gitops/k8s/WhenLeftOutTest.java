package dev.gitops.k8s;

import static dev.gitops.k8s.SchemaDiffs.changes;
import static dev.gitops.k8s.SchemaDiffs.diff;
import static dev.gitops.k8s.SchemaDiffs.hidden;
import static dev.gitops.k8s.SchemaDiffs.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.diff.ResourceDiff;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fixed defaults {@link Defaulting#whenLeftOut} takes from the {@code SetDefaults_*} functions
 * of discovery/v1, flowcontrol/v1, apiextensions/v1, admissionregistration/v1, and the feature-gated
 * ones of apps/v1 and storage/v1 (coordination, certificates, rbac, policy and node have none the
 * OpenAPI leaves to the prose): a field {@code gitops} applied as null (a chart's empty key), stored
 * as the default, is no change; another live value stays a removal. The priority level's, the
 * CRD's, the StatefulSet's and the CSIDriver's failed without the table's entries.
 */
class WhenLeftOutTest {
  @Test
  void anEndpointSlicePortsNameAndProtocolLeftOutAreNoChangeInsideTheAtomicPorts() {
    String slice = """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: db-1, namespace: shop, labels: {kubernetes.io/service-name: db}}
        addressType: IPv4
        endpoints: [{addresses: [10.0.0.7]}]
        ports: [{port: 5432, name: null, protocol: null}]
        """;
    String live = """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: db-1
          namespace: shop
          labels: {kubernetes.io/service-name: db}
          managedFields:
          - {manager: gitops, operation: Apply, fieldsV1: {f:metadata: {f:labels: {f:kubernetes.io/service-name: {}}},
              f:addressType: {}, f:endpoints: {}, f:ports: {}}}
        addressType: IPv4
        endpoints: [{addresses: [10.0.0.7]}]
        ports: [{port: 5432, name: "%s", protocol: %s}]
        """;
    // a guard, not a loop found: an element of an atomic list is owned whole, and a field only the live
    // element has is not judged as a removal, so the diff never planned one here (with or without the table)
    ResourceDiff d = diff(slice, live.formatted("", "TCP")); // SetDefaults_EndpointPort: nil -> "" and TCP
    assertTrue(d.isEmpty(), show(d));
  }

  @Test
  void aPriorityLevelsSharesAndLendablePercentLeftOutAreTheirDefaults() {
    String level = """
        apiVersion: flowcontrol.apiserver.k8s.io/v1
        kind: PriorityLevelConfiguration
        metadata: {name: batch}
        spec:
          type: Limited
          limited: {nominalConcurrencyShares: null, lendablePercent: null, limitResponse: {type: Reject}}
        """;
    String live = """
        apiVersion: flowcontrol.apiserver.k8s.io/v1
        kind: PriorityLevelConfiguration
        metadata:
          name: batch
          managedFields:
          - {manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:type: {}, f:limited: {f:nominalConcurrencyShares: {},
              f:lendablePercent: {}, f:limitResponse: {f:type: {}}}}}}
        spec:
          type: Limited
          limited: {nominalConcurrencyShares: %d, lendablePercent: %d, limitResponse: {type: Reject}}
        """;
    ResourceDiff d = diff(level, live.formatted(30, 0)); // SetDefaults_LimitedPriorityLevelConfiguration
    assertTrue(d.isEmpty(), show(d));
    assertEquals(Map.of("default value", 2), hidden(d), show(d));
    ResourceDiff other = diff(level, live.formatted(0, 50));
    // the removal stores 30: shown as it (SchemaField.storedWhenLeftOut); lendablePercent's 0 is its zero: removed
    assertEquals(List.of("remove /spec/limited/lendablePercent", "replace /spec/limited/nominalConcurrencyShares"),
        changes(other).stream().sorted().toList(), show(other));
    String exempt = level.replace("type: Limited", "type: Exempt")
        .replace("limited: {nominalConcurrencyShares: null, lendablePercent: null, limitResponse: {type: Reject}}",
            "exempt: {nominalConcurrencyShares: null, lendablePercent: null}");
    String liveExempt = live.replace("type: Limited", "type: Exempt")
        .replace("f:limited", "f:exempt").replace(", f:limitResponse: {f:type: {}}", "")
        .replace("limited: {nominalConcurrencyShares: %d, lendablePercent: %d, limitResponse: {type: Reject}}",
            "exempt: {nominalConcurrencyShares: 0, lendablePercent: 0}");
    ResourceDiff e = diff(exempt, liveExempt); // SetDefaults_ExemptPriorityLevelConfiguration: 0 and 0
    assertTrue(e.isEmpty(), show(e));
    assertEquals(Map.of("default value", 2), hidden(e), show(e));
  }

  @Test
  void aCrdsConversionLeftOutIsNoneAndItsWebhookPortIs443() {
    String spec = """
        spec:
          group: example.com
          names: {kind: Worker, plural: workers, singular: worker, listKind: WorkerList}
          scope: Namespaced
          versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
          conversion: %s
        """;
    String crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: workers.example.com}
        """ + spec;
    String live = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: workers.example.com
          managedFields:
          - {manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:group: {}, f:names: {f:kind: {}, f:plural: {},
              f:singular: {}, f:listKind: {}}, f:scope: {}, f:versions: {}, f:conversion: {%s}}}}
        """ + spec;
    ResourceDiff none = diff(crd.formatted("null"), live.formatted("", "{strategy: None}")); // SetDefaults_CustomResourceDefinitionSpec
    assertTrue(none.isEmpty(), show(none));
    assertEquals(Map.of("default value", 1), hidden(none), show(none));
    String webhook = "{strategy: Webhook, webhook: {conversionReviewVersions: [v1],"
        + " clientConfig: {service: {name: conv, namespace: shop, port: %s}}}}";
    String owned = "f:strategy: {}, f:webhook: {f:conversionReviewVersions: {}, f:clientConfig: {f:service:"
        + " {f:name: {}, f:namespace: {}, f:port: {}}}}";
    ResourceDiff port = diff(crd.formatted(webhook.formatted("null")), live.formatted(owned, webhook.formatted("443")));
    assertTrue(port.isEmpty(), show(port)); // SetDefaults_ServiceReference: nil -> 443
    assertEquals(Map.of("default value", 1), hidden(port), show(port));
    ResourceDiff other = diff(crd.formatted(webhook.formatted("null")), live.formatted(owned, webhook.formatted("8443")));
    assertEquals(List.of("replace /spec/conversion/webhook/clientConfig/service/port"), changes(other), show(other));
  }

  @Test
  void anAdmissionPolicysFailurePolicyLeftOutIsFail() {
    String policy = """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: replica-limit}
        spec:
          failurePolicy: null
          validations: [{expression: object.spec.replicas <= 5}]
        """;
    String live = """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata:
          name: replica-limit
          managedFields:
          - {manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:failurePolicy: {}, f:validations: {}}}}
        spec:
          failurePolicy: %s
          validations: [{expression: object.spec.replicas <= 5}]
        """;
    // SetDefaults_ValidatingAdmissionPolicySpec: nil -> Fail
    defaultThenRemoval(policy, live, "Fail", "Ignore", "replace /spec/failurePolicy");
  }

  @Test
  void aStatefulSetsMaxUnavailableLeftOutIsOneUnderARollingUpdate() {
    String set = """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: shop}
        spec:
          serviceName: db
          selector: {matchLabels: {app: db}}
          updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 0, maxUnavailable: null}}
          template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: postgres:16.4}]}}
        """;
    String live = """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: db
          namespace: shop
          managedFields:
          - {manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:serviceName: {}, f:selector: {},
              f:updateStrategy: {f:type: {}, f:rollingUpdate: {f:partition: {}, f:maxUnavailable: {}}},
              f:template: {f:metadata: {f:labels: {f:app: {}}}, f:spec: {f:containers: {'k:{"name":"db"}': {.: {},
              f:name: {}, f:image: {}}}}}}}}
        spec:
          serviceName: db
          selector: {matchLabels: {app: db}}
          updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 0, maxUnavailable: %s}}
          template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: postgres:16.4}]}}
        """;
    // SetDefaults_StatefulSet under MaxUnavailableStatefulSet (on by default in 1.35)
    defaultThenRemoval(set, live, "1", "2", "replace /spec/updateStrategy/rollingUpdate/maxUnavailable");
  }

  @Test
  void aCsiDriversSeLinuxMountLeftOutIsFalse() {
    String driver = """
        apiVersion: storage.k8s.io/v1
        kind: CSIDriver
        metadata: {name: nfs.csi.example.com}
        spec: {attachRequired: false, seLinuxMount: null}
        """;
    String live = """
        apiVersion: storage.k8s.io/v1
        kind: CSIDriver
        metadata:
          name: nfs.csi.example.com
          managedFields:
          - {manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:attachRequired: {}, f:seLinuxMount: {}}}}
        spec: {attachRequired: false, podInfoOnMount: false, seLinuxMount: %s}
        """;
    // SetDefaults_CSIDriver under SELinuxMountReadWriteOncePod (on by default since 1.28)
    defaultThenRemoval(driver, live, "false", "true", "remove /spec/seLinuxMount");
  }

  /**
   * {@code manifest} applied {@code path} as null: against {@code live} holding {@code stored} it is
   * one default value and no change, against {@code live} holding {@code other} the {@code change}: a
   * replacement by the default the server stores again, or a removal where that default is its
   * zero (which the server drops).
   */
  private static void defaultThenRemoval(String manifest, String live, String stored, String other, String change) {
    ResourceDiff d = diff(manifest, live.formatted(stored));
    assertTrue(d.isEmpty(), show(d));
    assertEquals(Map.of("default value", 1), hidden(d), show(d));
    ResourceDiff removal = diff(manifest, live.formatted(other));
    assertEquals(List.of(change), changes(removal), show(removal));
  }
}
