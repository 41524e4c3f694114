package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gitops.model.DesiredState;
import dev.gitops.source.LoaderContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link PodRules} through {@link ManifestLoader}: container, volume and port names the API server
 * refuses (422 at the write of their wave; the mock takes them) are problems at their own line.
 */
class PodRulesTest {
  @Test
  void namesInAPodTemplateTheServerRefusesAreProblemsAtTheirLine() {
    List<String> found = Fixtures.loadProblems("""
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: report, namespace: shop}
        spec:
          schedule: "0 2 * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: Never
                  initContainers:
                  - {name: fetch_data, image: busybox}
                  containers:
                  - name: report
                    image: busybox
                    ports:
                    - {name: http-metrics-admin, containerPort: 9090}
                    - {name: "8080", containerPort: 8080}
                  volumes:
                  - {name: Scratch, emptyDir: {}}
        """);
    assertEquals(List.of(
        "app.yaml:12: batch/CronJob/shop/report: spec.jobTemplate.spec.template.spec.initContainers[0].name:"
            + " \"fetch_data\" is not an RFC 1123 label (1 to 63 lowercase letters, digits and '-', beginning and ending"
            + " with a letter or digit): the API server refuses the object",
        "app.yaml:17: batch/CronJob/shop/report: spec.jobTemplate.spec.template.spec.containers[0].ports[0].name:"
            + " \"http-metrics-admin\" (18 characters) is not a port name (1 to 15 lowercase letters, digits and '-',"
            + " at least one letter, no '-' at either end or twice in a row): the API server refuses the object",
        "app.yaml:18: batch/CronJob/shop/report: spec.jobTemplate.spec.template.spec.containers[0].ports[1].name:"
            + " \"8080\" is not a port name",
        "app.yaml:20: batch/CronJob/shop/report: spec.jobTemplate.spec.template.spec.volumes[0].name: \"Scratch\""
            + " is not an RFC 1123 label"),
        found.stream().map(p -> p.startsWith("app.yaml:18") || p.startsWith("app.yaml:20")
            ? p.substring(0, p.indexOf(" (")) : p).toList());
  }

  @Test
  void aServicesPortsAreNamedWhenThereAreSeveralAndTextTargetPortsAreNames() {
    List<String> found = Fixtures.loadProblems("""
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          ports:
          - {port: 80, targetPort: http}
          - {name: Metrics, port: 9090, targetPort: "9090"}
        """);
    assertEquals(List.of(
        "app.yaml:6: Service/shop/web: spec.ports[0]: a Service with more than one port names each of them"
            + " (spec.ports[0].name is required): the API server refuses the object",
        "app.yaml:7: Service/shop/web: spec.ports[1].name: \"Metrics\" is not an RFC 1123 label",
        "app.yaml:7: Service/shop/web: spec.ports[1].targetPort: \"9090\" is not a port name"),
        found.stream().map(p -> p.contains(" (1 to") ? p.substring(0, p.indexOf(" (1 to")) : p).toList());
    assertEquals(List.of("app.yaml:8: Service/shop/dns: spec.ports[2]: port 53/TCP again (spec.ports[0] has it): a"
        + " Service lists a port and protocol once: the API server refuses the object"), Fixtures.loadProblems("""
            apiVersion: v1
            kind: Service
            metadata: {name: dns, namespace: shop}
            spec:
              ports:
              - {name: dns, port: 53}
              - {name: dns-udp, port: 53, protocol: UDP}
              - {name: dns-tcp, port: 53, protocol: TCP}
            """));
  }

  @Test
  void aJobsPodsRestartNeverOrOnFailureAndAWorkloadsAlways() {
    List<String> found = Fixtures.loadProblems("""
        apiVersion: batch/v1
        kind: Job
        metadata: {name: migrate, namespace: shop}
        spec:
          template:
            spec:
              containers: [{name: migrate, image: busybox}]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              restartPolicy: OnFailure
              containers: [{name: web, image: nginx}]
        """);
    assertEquals(List.of(
        "app.yaml:7: batch/Job/shop/migrate: spec.template.spec.restartPolicy: left out, so Always, where a Job's"
            + " pods take Never or OnFailure: the API server refuses the object",
        "app.yaml:17: apps/Deployment/shop/web: spec.template.spec.restartPolicy: \"OnFailure\" where a workload's"
            + " pods take Always: the API server refuses the object"), found);
  }

  @Test
  void aWorkloadsPodTemplateSetsNoActiveDeadlineWhichAPodOrAJobTakes() {
    List<String> found = Fixtures.loadProblems("""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent, namespace: shop}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec:
              activeDeadlineSeconds: 600
              containers: [{name: agent, image: busybox}]
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: shop}
        spec:
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              activeDeadlineSeconds: 600
              containers: [{name: db, image: postgres}]
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: migrate, namespace: shop}
        spec:
          template:
            spec:
              activeDeadlineSeconds: 600
              restartPolicy: Never
              containers: [{name: migrate, image: busybox}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: once, namespace: shop}
        spec:
          activeDeadlineSeconds: 600
          containers: [{name: once, image: busybox}]
        """);
    assertEquals(List.of(
        "app.yaml:9: apps/DaemonSet/shop/agent: spec.template.spec.activeDeadlineSeconds: set, where a DaemonSet's"
            + " pods run until replaced (a Pod's or a Job's field): the API server refuses the object",
        "app.yaml:21: apps/StatefulSet/shop/db: spec.template.spec.activeDeadlineSeconds: set, where a"
            + " StatefulSet's pods run until replaced (a Pod's or a Job's field): the API server refuses the object"),
        found);
  }

  @Test
  void aPodsContainersVolumesAndMountPathsHaveNamesOfTheirOwn() {
    assertEquals(List.of(
        "app.yaml:13: apps/Deployment/shop/web: spec.template.spec.initContainers[0].name: \"web\" is also the name"
            + " of containers[0]: containers, init and ephemeral containers of a pod have names of their own: the API"
            + " server refuses the object",
        "app.yaml:16: apps/Deployment/shop/web: spec.template.spec.initContainers[0].volumeMounts[1].mountPath:"
            + " \"/data\" repeats element 0: mount paths of a container are unique: the API server refuses the object",
        "app.yaml:19: apps/Deployment/shop/web: spec.template.spec.volumes[1].name: \"data\" repeats element 0:"
            + " volume names of a pod are unique: the API server refuses the object"),
        Fixtures.loadProblems("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - {name: web, image: nginx:1.27, volumeMounts: [{name: data, mountPath: /data}]}
                  initContainers:
                  - image: busybox:1.37
                    name: web
                    volumeMounts:
                    - {name: data, mountPath: /data}
                    - {name: data, mountPath: /data}
                  volumes:
                  - {name: data, emptyDir: {}}
                  - {name: data, configMap: {name: settings}}
            """));
  }

  @Test
  void listsWrittenAsMapsAreTheSchemasProblemNotACrash() {
    List<String> found = Fixtures.loadProblems("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: {name: web, image: nginx:1.27, ports: {containerPort: 80}}
              volumes: {name: data, emptyDir: {}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec: {ports: {port: 80}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web, namespace: shop}
        spec: {rules: {host: shop.example.com, http: {paths: {path: /}}}}
        """);
    assertEquals(List.of(
        "app.yaml:9: apps/Deployment/shop/web: spec.template.spec.containers: a mapping where the API server takes a list",
        "app.yaml:10: apps/Deployment/shop/web: spec.template.spec.volumes: a mapping where the API server takes a list",
        "app.yaml:15: Service/shop/web: spec.ports: a mapping where the API server takes a list",
        "app.yaml:20: networking.k8s.io/Ingress/shop/web: spec.rules: a mapping where the API server takes a list"),
        found);
  }

  @Test
  void anEnvVarAndAVolumeHaveOneSourceEach() {
    assertEquals(List.of(
        "app.yaml:15: apps/Deployment/shop/web: spec.template.spec.containers[0].env[0].valueFrom: given beside a"
            + " value: an env var takes one of them: the API server refuses the object",
        "app.yaml:18: apps/Deployment/shop/web: spec.template.spec.containers[0].env[1].valueFrom: has configMapKeyRef"
            + " and secretKeyRef: it takes one source: the API server refuses the object",
        "app.yaml:21: apps/Deployment/shop/web: spec.template.spec.volumes[0]: has emptyDir and persistentVolumeClaim:"
            + " a volume takes one source: the API server refuses the object"), // cache: defaulted to an emptyDir
        Fixtures.loadProblems("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.27
                    env:
                    - name: PASSWORD
                      value: dev
                      valueFrom: {secretKeyRef: {name: db, key: password}}
                    - name: MODE
                      valueFrom:
                        configMapKeyRef: {name: settings, key: mode}
                        secretKeyRef: {name: db, key: mode}
                  volumes:
                  - name: data
                    emptyDir: {}
                    persistentVolumeClaim: {claimName: data}
                  - name: cache
            """));
  }

  @Test
  void probeAndHookPortsAreNamesOrNumbersThatTheServerTakes() {
    List<String> found = Fixtures.loadProblems("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: web
                image: nginx
                ports: [{name: http, containerPort: 80}, {containerPort: 70000}]
                livenessProbe: {httpGet: {path: /healthz, port: http_metrics}}
                readinessProbe: {tcpSocket: {port: 0}}
                startupProbe: {grpc: {port: 9090}}
                lifecycle: {preStop: {httpGet: {path: /stop, port: "8080"}}}
        """);
    assertEquals(List.of(
        "app.yaml:12: apps/Deployment/shop/web: spec.template.spec.containers[0].ports[1].containerPort: 70000"
            + " is not a port number (1 to 65535): the API server refuses the object",
        "app.yaml:13: apps/Deployment/shop/web: spec.template.spec.containers[0].livenessProbe.httpGet.port:"
            + " \"http_metrics\" is not a port name",
        "app.yaml:14: apps/Deployment/shop/web: spec.template.spec.containers[0].readinessProbe.tcpSocket.port: 0"
            + " is not a port number (1 to 65535): the API server refuses the object",
        "app.yaml:16: apps/Deployment/shop/web: spec.template.spec.containers[0].lifecycle.preStop.httpGet.port:"
            + " \"8080\" is not a port name"),
        found.stream().map(p -> p.contains("is not a port name") ? p.substring(0, p.indexOf(" (")) : p).toList());
  }

  @Test
  void whatTheServerTakesLoads() {
    DesiredState d = new ManifestLoader().load(LoaderContract.snapshot("app.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: web-2
                image: nginx
                ports: [{name: http, containerPort: 80}, {name: h2c-grpc-9, containerPort: 81}, {containerPort: 82}]
                livenessProbe: {httpGet: {path: /healthz, port: http}}
                readinessProbe: {tcpSocket: {port: 65535}}
                startupProbe: {grpc: {port: 81}}
                lifecycle: {preStop: {httpGet: {path: /stop, port: 80}}}
              volumes: [{name: data-0, emptyDir: {}}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          ports: [{port: 80, targetPort: http}]
        """));
    assertEquals(2, d.resources().size());
  }
}
