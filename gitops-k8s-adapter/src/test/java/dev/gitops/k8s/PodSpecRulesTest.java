package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gitops.model.DesiredState;
import dev.gitops.source.LoaderContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link PodSpecRules} through {@link ManifestLoader}: mounts of volumes the pod does not have, env
 * references to fields the downward API does not give, and tolerations, deadlines, host ports and
 * container lists the API server refuses (422 at the write of their wave; the mock takes them) are
 * problems at their own line, and their neighbours the server takes load.
 */
class PodSpecRulesTest {
  private static final String REFUSED = ": the API server refuses the object";
  private static final String AT = "apps/Deployment/shop/web: spec.template.spec.";

  @Test
  void mountsAndDevicesNameAVolumeOfThePodWithAPathAndARelativeSubPath() {
    List<String> found = Fixtures.loadProblems(deployment("""
        initContainers:
        - name: fetch
          image: busybox
          volumeMounts: [{name: config, mountPath: /etc/app}]
        containers:
        - name: web
          image: nginx
          volumeMounts:
          - {name: data, mountPath: /data, subPath: /www}
          - {name: data, mountPath: /logs, subPathExpr: logs/../$(POD_NAME)}
          - {name: cache}
          volumeDevices:
          - {name: data, devicePath: /dev/xvda}
          - {name: cache, devicePath: /dev/xvdb}
          - {name: disk, devicePath: /dev/xvdc}
        volumes:
        - {name: data, persistentVolumeClaim: {claimName: data}}
        - {name: cache, emptyDir: {}}
        """));
    assertEquals(List.of(
        "app.yaml:12: " + AT + "initContainers[0].volumeMounts[0].name: \"config\" names no volume of the pod (it has"
            + " \"cache\", \"data\")" + REFUSED,
        "app.yaml:17: " + AT + "containers[0].volumeMounts[0].subPath: \"/www\" is not a relative path" + REFUSED,
        "app.yaml:18: " + AT + "containers[0].volumeMounts[1].subPathExpr: \"logs/../$(POD_NAME)\" contains '..'"
            + REFUSED,
        "app.yaml:19: " + AT + "containers[0].volumeMounts[2].mountPath: left out, where a mount has a path" + REFUSED,
        "app.yaml:21: " + AT + "containers[0].volumeDevices[0].name: \"data\" is a volume mount of the container too:"
            + " a volume is mounted or a device, not both" + REFUSED,
        "app.yaml:22: " + AT + "containers[0].volumeDevices[1].name: \"cache\" is a volume mount of the container too:"
            + " a volume is mounted or a device, not both" + REFUSED,
        "app.yaml:23: " + AT + "containers[0].volumeDevices[2].name: \"disk\" names no volume of the pod (it has"
            + " \"cache\", \"data\")" + REFUSED), found);
  }

  @Test
  void aDeviceIsAClaimAndAPodWithoutVolumesHasNoneToMount() {
    List<String> found = Fixtures.loadProblems(deployment("""
        containers:
        - name: web
          image: nginx
          volumeDevices: [{name: scratch, devicePath: /dev/xvda}]
        ephemeralContainers:
        - name: debug
          image: busybox
          volumeMounts: [{name: data, mountPath: /data}]
        volumes:
        - {name: scratch, emptyDir: {}}
        """) + "---\n" + deployment("""
        containers:
        - {name: web, image: nginx, volumeMounts: [{name: data, mountPath: /data}]}
        """).replace("name: web, namespace", "name: api, namespace"));
    assertEquals(List.of(
        "app.yaml:12: " + AT + "containers[0].volumeDevices[0].name: \"scratch\" is not a persistentVolumeClaim or"
            + " ephemeral volume, which a device (block mode) takes" + REFUSED,
        "app.yaml:16: " + AT + "ephemeralContainers[0].volumeMounts[0].name: \"data\" names no volume of the pod (it"
            + " has \"scratch\")" + REFUSED,
        "app.yaml:29: apps/Deployment/shop/api: spec.template.spec.containers[0].volumeMounts[0].name: \"data\" names"
            + " no volume of the pod (it has none)" + REFUSED), found);
  }

  @Test
  void envFieldAndResourceReferencesNameWhatTheDownwardApiGivesAnEnvVar() {
    List<String> found = Fixtures.loadProblems(deployment("""
        containers:
        - name: web
          image: nginx
          env:
          - name: LABELS
            valueFrom: {fieldRef: {fieldPath: metadata.labels}}
          - name: PHASE
            valueFrom: {fieldRef: {fieldPath: status.phase}}
          - name: NAME
            valueFrom: {fieldRef: {fieldPath: "metadata.name['x']"}}
          - name: TEAM
            valueFrom: {fieldRef: {fieldPath: "metadata.labels['Team Name']"}}
          - name: GPU
            valueFrom: {resourceFieldRef: {resource: limits.nvidia.com/gpu}}
        """));
    String fields = " is not a field an env var takes (metadata.name, metadata.namespace, metadata.uid, spec.nodeName,"
        + " spec.serviceAccountName, status.hostIP, status.hostIPs, status.podIP, status.podIPs,"
        + " metadata.labels['<key>'], metadata.annotations['<key>'])" + REFUSED;
    assertEquals(List.of(
        "app.yaml:14: " + AT + "containers[0].env[0].valueFrom.fieldRef.fieldPath: \"metadata.labels\"" + fields,
        "app.yaml:16: " + AT + "containers[0].env[1].valueFrom.fieldRef.fieldPath: \"status.phase\"" + fields,
        "app.yaml:18: " + AT + "containers[0].env[2].valueFrom.fieldRef.fieldPath: \"metadata.name['x']\" takes a key"
            + " where only metadata.labels and metadata.annotations take one" + REFUSED,
        "app.yaml:20: " + AT + "containers[0].env[3].valueFrom.fieldRef.fieldPath: \"metadata.labels['Team Name']\""
            + " names a key that is not a qualified name" + REFUSED,
        "app.yaml:22: " + AT + "containers[0].env[4].valueFrom.resourceFieldRef.resource: \"limits.nvidia.com/gpu\""
            + " is not a resource an env var takes (limits.cpu, limits.ephemeral-storage, limits.memory, requests.cpu,"
            + " requests.ephemeral-storage, requests.memory, requests.hugepages-<size>, limits.hugepages-<size>)"
            + REFUSED), found);
  }

  @Test
  void tolerationsDeadlinesHostPortsAndContainersTheServerRefuses() {
    List<String> found = Fixtures.loadProblems(deployment("""
        hostNetwork: true
        activeDeadlineSeconds: 0
        tolerations:
        - {operator: Equal, value: gpu}
        - {key: "", effect: NoSchedule}
        containers:
        - name: web
          image: nginx
          ports: [{containerPort: 80, hostPort: 8080}, {containerPort: 9090, hostPort: 9090}, {containerPort: 443}]
        """) + "---\n" + deployment("""
        containers: []
        """).replace("name: web, namespace", "name: api, namespace"));
    assertEquals(List.of(
        "app.yaml:10: " + AT + "activeDeadlineSeconds: 0 is not 1 to 2147483647" + REFUSED,
        "app.yaml:10: " + AT + "activeDeadlineSeconds: set, where a Deployment's pods run until replaced (a Pod's or a"
            + " Job's field)" + REFUSED,
        "app.yaml:12: " + AT + "tolerations[0].operator: \"Equal\" where the key is empty, which takes operator Exists"
            + " (every key, every value)" + REFUSED,
        "app.yaml:13: " + AT + "tolerations[1].operator: left out, so Equal, where the key is empty, which takes"
            + " operator Exists (every key, every value)" + REFUSED,
        "app.yaml:17: " + AT + "containers[0].ports[0].hostPort: 8080 where containerPort is 80: with hostNetwork, a"
            + " host port is the container port" + REFUSED,
        "app.yaml:27: apps/Deployment/shop/api: spec.template.spec.containers: empty, where a pod has at least one"
            + " container" + REFUSED), found);
  }

  @Test
  void theNeighboursTheServerTakesLoad() {
    DesiredState d = new ManifestLoader().load(LoaderContract.snapshot("app.yaml", deployment("""
        hostNetwork: true
        tolerations: [{operator: Exists}, {key: "", operator: Exists, effect: NoExecute}, {key: gpu, value: "yes"}]
        initContainers:
        - {name: fetch, image: busybox, volumeMounts: [{name: data, mountPath: /data, subPath: www/..data/a..b}]}
        containers:
        - name: web
          image: nginx
          ports: [{containerPort: 80, hostPort: 80}, {containerPort: 443}]
          volumeMounts: [{name: data, mountPath: /data, subPathExpr: $(POD_NAME)}]
          volumeDevices: [{name: disk, devicePath: /dev/xvda}, {name: scratch, devicePath: /dev/xvdb}]
          env:
          - {name: APP, valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}}
          - {name: OWNER, valueFrom: {fieldRef: {fieldPath: "metadata.annotations['Example.com/Owner']"}}}
          - {name: IP, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: status.podIP}}}
          - {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.host}}}
          - {name: MEM, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}
          - {name: PAGES, valueFrom: {resourceFieldRef: {resource: requests.hugepages-2Mi}}}
        volumes:
        - {name: data, emptyDir: {}}
        - {name: disk, persistentVolumeClaim: {claimName: disk}}
        - name: scratch
          ephemeral: {volumeClaimTemplate: {spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}}
        """) + """
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: once, namespace: shop}
        spec:
          activeDeadlineSeconds: 2147483647
          containers: [{name: once, image: busybox}]
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: shop}
        spec:
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              containers: [{name: db, image: postgres, volumeMounts: [{name: pgdata, mountPath: /var/lib/postgresql}]}]
          volumeClaimTemplates:
          - metadata: {name: pgdata}
            spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
        """));
    assertEquals(3, d.resources().size());
  }

  @Test
  void aStatefulSetsPodsMountItsClaimTemplatesAndWhatElseTheirPodsRefuseIsSaidOfThePods() {
    List<String> found = Fixtures.loadProblems("""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: shop}
        spec:
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              restartPolicy: Never
              containers:
              - name: db
                image: postgres
                volumeMounts:
                - {name: pgdata, mountPath: /var/lib/postgresql}
                - {name: pgwal, mountPath: /var/lib/wal}
                volumeDevices: [{name: raw, devicePath: /dev/xvda}]
          volumeClaimTemplates:
          - metadata: {name: pgdata}
            spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
          - metadata: {name: raw}
            spec: {accessModes: [ReadWriteOnce], volumeMode: Block, resources: {requests: {storage: 1Gi}}}
        """);
    assertEquals(List.of(
        "app.yaml:9: apps/StatefulSet/shop/db: spec.template.spec.restartPolicy: \"Never\" where a workload's pods"
            + " take Always" + REFUSED,
        "app.yaml:15: apps/StatefulSet/shop/db: spec.template.spec.containers[0].volumeMounts[1].name: \"pgwal\""
            + " names no volume of the pod (it has \"pgdata\", \"raw\"): the API server refuses the pods the"
            + " StatefulSet makes of it"), found);
  }

  /** A Deployment shop/web whose pod spec is {@code spec}, a YAML block (its lines start at line 9). */
  private static String deployment(String spec) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
        """ + spec.indent(6);
  }
}
