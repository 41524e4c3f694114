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
 * Zero values the API server drops equal their absence: Tekton's resolvers Deployment (issue 14)
 * and the other cases the issue lists, against live objects as a server returns them after a
 * server-side apply by {@code gitops} (which owns every scalar it applied, even one the server
 * then dropped).
 */
class ZeroValuesTest {
  private static final String MANIFEST = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: resolvers, namespace: shop}
      spec:
        minReadySeconds: 0
        selector: {matchLabels: {app: resolvers}}
        template:
          metadata:
            labels: {app: resolvers}
            annotations: {}
          spec:
            hostNetwork: false
            nodeSelector: {}
            imagePullSecrets: []
            containers:
            - name: controller
              image: resolvers:1
              args: []
              command: []
              env:
              - {name: EMPTY, value: ""}
              resources:
                limits: {}
              volumeMounts:
              - {name: tmp, mountPath: /tmp, readOnly: false}
            volumes:
            - name: tmp
              emptyDir: {}
      """;

  /** The object a server returns: zero values gone, defaults in, gitops owning what it applied. */
  private static final String LIVE = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: resolvers
        namespace: shop
        resourceVersion: "7"
        labels: {app.kubernetes.io/managed-by: gitops, gitops.dev/owner: web}
        managedFields:
        - manager: gitops
          operation: Apply
          apiVersion: apps/v1
          fieldsType: FieldsV1
          fieldsV1:
            f:metadata: {f:labels: {f:app.kubernetes.io/managed-by: {}, f:gitops.dev/owner: {}}}
            f:spec:
              f:minReadySeconds: {}
              f:selector: {}
              f:template:
                f:metadata: {f:labels: {f:app: {}}}
                f:spec:
                  f:hostNetwork: {}
                  f:nodeSelector: {}
                  f:containers:
                    k:{"name":"controller"}:
                      .: {}
                      f:name: {}
                      f:image: {}
                      f:args: {}
                      f:command: {}
                      f:env:
                        k:{"name":"EMPTY"}: {.: {}, f:name: {}, f:value: {}}
                      f:volumeMounts:
                        k:{"mountPath":"/tmp"}: {.: {}, f:name: {}, f:mountPath: {}, f:readOnly: {}}
                  f:volumes:
                    k:{"name":"tmp"}: {.: {}, f:name: {}}
      spec:
        progressDeadlineSeconds: 600
        replicas: 1
        revisionHistoryLimit: 10
        selector: {matchLabels: {app: resolvers}}
        strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}}
        template:
          metadata:
            creationTimestamp: null
            labels: {app: resolvers}
          spec:
            containers:
            - name: controller
              image: resolvers:1
              env:
              - {name: EMPTY}
              imagePullPolicy: IfNotPresent
              resources: {}
              terminationMessagePath: /dev/termination-log
              terminationMessagePolicy: File
              volumeMounts:
              - {name: tmp, mountPath: /tmp}
            dnsPolicy: ClusterFirst
            restartPolicy: Always
            schedulerName: default-scheduler
            securityContext: {}
            terminationGracePeriodSeconds: 30
            volumes:
            - name: tmp
              emptyDir: {}
      status: {replicas: 1}
      """;

  @Test
  void tektonsResolversDeploymentIsInSyncWithWhatTheServerKeptOfIt() {
    ResourceDiff d = diff(MANIFEST, LIVE);
    assertTrue(d.isEmpty(), show(d));
    assertEquals(Map.of("zero value", 10), hidden(d), show(d));
  }

  @Test
  void aZeroScalarNeverAppliedIsAChangeAndOneOfAPointerFieldSetInGitToo() {
    String notOwned = LIVE.replaceAll("\\n *f:hostNetwork: \\{}", "")
        .replace(", f:readOnly: {}", "");
    ResourceDiff d = diff(MANIFEST, notOwned);
    assertEquals(List.of("add /spec/template/spec/containers/0/volumeMounts/0/readOnly",
        "add /spec/template/spec/hostNetwork"), changes(d), show(d));
    ResourceDiff automount = diff(MANIFEST.replace("hostNetwork: false",
        "automountServiceAccountToken: false"), LIVE);
    assertEquals(List.of("add /spec/template/spec/automountServiceAccountToken"), changes(automount),
        show(automount));
  }

  @Test
  void aZeroOfAFieldTheServerKeepsIsAChange() {
    ResourceDiff d = diff("""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: shop}
        spec: {serviceName: "", minReadySeconds: 0}
        """, """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: db
          namespace: shop
          managedFields:
          - manager: gitops
            operation: Apply
            fieldsV1: {f:spec: {f:serviceName: {}, f:minReadySeconds: {}}}
        spec: {replicas: 1}
        """);
    assertEquals(List.of("add /spec/serviceName"), changes(d), show(d));
    assertEquals(Map.of("zero value", 1), hidden(d), show(d));
  }

  @Test
  void anEmptyStringTheServerDefaultedIsNoDriftOnceApplied() {
    String binding = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: fluentd}
        roleRef: {apiGroup: "", kind: ClusterRole, name: fluentd}
        subjects:
        - {apiGroup: "", kind: ServiceAccount, name: fluentd, namespace: logging}
        """;
    String live = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: fluentd
          managedFields:
          - {manager: gitops, operation: Apply, fieldsV1: {f:roleRef: {}, f:subjects: {}}}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: fluentd}
        subjects:
        - {kind: ServiceAccount, name: fluentd, namespace: logging}
        """;
    ResourceDiff applied = diff(binding, live);
    assertTrue(applied.isEmpty(), show(applied));
    assertEquals(Map.of("zero value", 2), hidden(applied), show(applied));
    ResourceDiff never = diff(binding, live.replace("f:roleRef: {}, f:subjects: {}", "f:metadata: {}"));
    assertEquals(List.of("replace /roleRef/apiGroup", "add /subjects/0/apiGroup"), changes(never), show(never));
    String pod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
          namespace: shop
          managedFields:
          - {manager: %s, operation: %s, fieldsV1: {f:spec: {f:dnsPolicy: {}}}}
        spec: {dnsPolicy: ClusterFirst}
        """;
    String manifest = "{apiVersion: v1, kind: Pod, metadata: {name: p, namespace: shop}, spec: {dnsPolicy: \"\"}}";
    assertTrue(diff(manifest, pod.formatted("gitops", "Apply")).isEmpty());
    assertEquals(List.of("replace /spec/dnsPolicy"), changes(diff(manifest, pod.formatted("kubectl-edit", "Update"))));
  }

  @Test
  void aZeroAPlainNumbersDefaultingReplacesIsTheDefaultButAPointersZeroIsKept() {
    String pod = "{apiVersion: v1, kind: Pod, metadata: {name: p, namespace: shop}, spec: {containers: [{name: c,"
        + " image: c:1, readinessProbe: {exec: {command: [ready]}, timeoutSeconds: 0, periodSeconds: 0}}]}}";
    String live = """
        kind: Pod
        apiVersion: v1
        metadata:
          name: p
          namespace: shop
          managedFields: [{manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:containers: {'k:{"name":"c"}':
            {.: {}, f:readinessProbe: {f:timeoutSeconds: {}, f:periodSeconds: {}}}}}}}]
        spec:
          containers:
          - name: c
            image: c:1
            readinessProbe: {exec: {command: [ready]}, timeoutSeconds: %d, periodSeconds: 10, successThreshold: 1, failureThreshold: 3}
        """;
    ResourceDiff defaulted = diff(pod, live.formatted(1));
    assertTrue(defaulted.isEmpty(), show(defaulted));
    assertEquals(Map.of("zero value", 2), hidden(defaulted), show(defaulted));
    assertEquals(List.of("replace /spec/containers/0/readinessProbe/timeoutSeconds"),
        changes(diff(pod, live.formatted(5))));
    ResourceDiff queuing = diff("""
        apiVersion: flowcontrol.apiserver.k8s.io/v1
        kind: PriorityLevelConfiguration
        metadata: {name: batch}
        spec:
          type: Limited
          limited: {limitResponse: {type: Queue, queuing: {queues: 0, handSize: 0, queueLengthLimit: 0}}}
        """, """
        apiVersion: flowcontrol.apiserver.k8s.io/v1
        kind: PriorityLevelConfiguration
        metadata: {name: batch}
        spec:
          type: Limited
          limited:
            lendablePercent: 0
            nominalConcurrencyShares: 30
            limitResponse: {type: Queue, queuing: {queues: 64, handSize: 8, queueLengthLimit: 50}}
        """);
    assertTrue(queuing.isEmpty(), show(queuing));
    ResourceDiff pointer = diff("""
        {apiVersion: v1, kind: ReplicationController, metadata: {name: rc, namespace: shop}, spec: {replicas: 0}}
        """, """
        apiVersion: v1
        kind: ReplicationController
        metadata:
          name: rc
          namespace: shop
          managedFields: [{manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:replicas: {}}}}]
        spec: {replicas: 1}
        """);
    assertEquals(List.of("replace /spec/replicas"), changes(pointer), show(pointer)); // the OpenAPI's default: 1
  }

  @Test
  void aServiceLeavingAnAllocatedValueEmptyKeepsIt() {
    String live = """
        kind: Service
        apiVersion: v1
        metadata:
          name: web
          namespace: shop
          managedFields: [{manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:clusterIP: {}, f:clusterIPs: {},
            f:ipFamilies: {}, f:ipFamilyPolicy: {}, f:ports: {'k:{"port":80,"protocol":"TCP"}': {.: {}, f:name: {},
            f:nodePort: {}, f:port: {}}}}}}]
        spec:
          type: NodePort
          clusterIP: 10.96.0.12
          clusterIPs: [10.96.0.12]
          ipFamilies: [IPv4]
          ipFamilyPolicy: PreferDualStack
          ports: [{name: http, port: 80, protocol: TCP, nodePort: 31993}]
        """;
    String manifest = "{apiVersion: v1, kind: Service, metadata: {name: web, namespace: shop}, spec: {%s"
        + " ports: [{name: http, port: 80%s}]}}";
    // initIPFamilyFields gives a nil ipFamilyPolicy the stored Service's on update, whatever it is
    for (String[] empty : new String[][] {{"", ""},
        {"clusterIP: null, clusterIPs: null, ipFamilies: null, ipFamilyPolicy: null,", ", nodePort: null"},
        {"clusterIP: \"\", clusterIPs: [], ipFamilies: [],", ", nodePort: 0"}}) {
      ResourceDiff d = diff(manifest.formatted(empty[0], empty[1]), live);
      assertTrue(d.isEmpty(), show(d));
      assertEquals(Map.of("allocated value", 5), hidden(d), show(d));
    }
    assertEquals(List.of("replace /spec/ports/0/nodePort"), changes(diff(manifest.formatted("", ", nodePort: 30080"), live)));
    assertEquals(List.of("replace /spec/ipFamilyPolicy"),
        changes(diff(manifest.formatted("ipFamilyPolicy: SingleStack,", ""), live)));
  }

  @Test
  void anEmptySecretValueIsAValue() {
    ResourceDiff d = diff("""
        apiVersion: v1
        kind: Secret
        metadata: {name: db, namespace: shop}
        data: {password: ""}
        """, """
        apiVersion: v1
        kind: Secret
        metadata:
          name: db
          namespace: shop
          managedFields:
          - {manager: gitops, operation: Apply, fieldsV1: {f:data: {f:password: {}}}}
        data: {other: eA==}
        """);
    assertEquals(List.of("add /data/password"), changes(d), show(d));
  }
}
