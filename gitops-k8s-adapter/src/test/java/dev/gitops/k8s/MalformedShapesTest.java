package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fields written in the wrong shape (a list as a map, a map as a list or as text) in each place the
 * load's rules look: each is a problem at its line, never a crash of the loader.
 */
class MalformedShapesTest {
  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop%s}
      spec:
        selector: %s
        template:
          metadata: {labels: {app: web}}
          spec: %s
      """;
  private static final String CONTAINER = "{name: web, image: nginx:1.27%s}";

  @Test
  void everyMisshapenFieldIsAProblemNotACrash() {
    List<String> docs = new ArrayList<>();
    for (String wrong : List.of("[a, b]", "text", "{a: b}", "[{a: b}]", "42")) {
      docs.add(DEPLOYMENT.formatted(", labels: " + wrong, "{matchLabels: {app: web}}",
          "{containers: [" + CONTAINER.formatted("") + "]}"));
      docs.add(DEPLOYMENT.formatted(", annotations: " + wrong, "{matchLabels: {app: web}}",
          "{containers: [" + CONTAINER.formatted("") + "]}"));
      docs.add(DEPLOYMENT.formatted("", wrong, "{containers: [" + CONTAINER.formatted("") + "]}"));
      docs.add(DEPLOYMENT.formatted("", "{matchLabels: {app: web}}", wrong));
      for (String field : List.of("containers", "initContainers", "volumes", "tolerations", "affinity",
          "topologySpreadConstraints", "securityContext", "dnsPolicy")) {
        docs.add(DEPLOYMENT.formatted("", "{matchLabels: {app: web}}", "{" + field + ": " + wrong
            + (field.equals("containers") ? "" : ", containers: [" + CONTAINER.formatted("") + "]") + "}"));
      }
      for (String field : List.of("ports", "env", "volumeMounts", "resources", "livenessProbe", "imagePullPolicy",
          "securityContext", "lifecycle", "readinessProbe", "startupProbe", "livenessProbe: {successThreshold",
          "startupProbe: {periodSeconds", "securityContext: {privileged: true, allowPrivilegeEscalation",
          "securityContext: {allowPrivilegeEscalation: false, capabilities")) {
        docs.add(DEPLOYMENT.formatted("", "{matchLabels: {app: web}}",
            "{containers: [" + CONTAINER.formatted(", " + field + ": " + wrong + (field.contains("{") ? "}" : ""))
                + "]}"));
      }
      for (String field : List.of("tolerations: [{operator: Exists, value", "topologySpreadConstraints: [{maxSkew",
          "topologySpreadConstraints: [{topologyKey: zone, whenUnsatisfiable: DoNotSchedule}, {topologyKey")) {
        docs.add(DEPLOYMENT.formatted("", "{matchLabels: {app: web}}", "{" + field + ": " + wrong
            + ", whenUnsatisfiable: DoNotSchedule}], containers: [" + CONTAINER.formatted("") + "]}"));
      }
      for (String spec : List.of( // the fields PodSpecRules reads
          "{containers: [{name: web, image: a, volumeMounts: [{name: %s, mountPath: /a}]}]}",
          "{containers: [{name: web, image: a, volumeMounts: [{name: a, mountPath: %s}]}], volumes: [{name: a, emptyDir: {}}]}",
          "{containers: [{name: web, image: a, volumeMounts: [{name: a, mountPath: /a, subPath: %s}]}],"
              + " volumes: [{name: a, emptyDir: {}}]}",
          "{containers: [{name: web, image: a, volumeMounts: [%s]}]}",
          "{containers: [{name: web, image: a, volumeDevices: %s}]}",
          "{containers: [{name: web, image: a, volumeDevices: [{name: %s, devicePath: /dev/a}]}]}",
          "{containers: [{name: web, image: a, volumeMounts: [{name: a, mountPath: /a}]}], volumes: [{name: %s}]}",
          "{containers: [{name: web, image: a, volumeMounts: [{name: a, mountPath: /a}]}], volumes: [%s]}",
          "{containers: [{name: web, image: a, env: [{name: A, valueFrom: {fieldRef: {fieldPath: %s}}}]}]}",
          "{containers: [{name: web, image: a, env: [{name: A, valueFrom: {fieldRef: %s}}]}]}",
          "{containers: [{name: web, image: a, env: [{name: A, valueFrom: {resourceFieldRef: {resource: %s}}}]}]}",
          "{tolerations: [{operator: %s}], containers: [{name: web, image: a}]}",
          "{tolerations: [{key: %s}], containers: [{name: web, image: a}]}",
          "{tolerations: [%s], containers: [{name: web, image: a}]}",
          "{activeDeadlineSeconds: %s, containers: [{name: web, image: a}]}",
          "{hostNetwork: %s, containers: [{name: web, image: a, ports: [{containerPort: 80, hostPort: 81}]}]}",
          "{hostNetwork: true, containers: [{name: web, image: a, ports: [{containerPort: 80, hostPort: %s}]}]}",
          "{hostNetwork: true, containers: [{name: web, image: a, ports: [{containerPort: %s, hostPort: 81}]}]}",
          "{hostNetwork: true, containers: [{name: web, image: a, ports: %s}]}")) {
        docs.add(DEPLOYMENT.formatted("", "{matchLabels: {app: web}}", spec.formatted(wrong)));
      }
      for (String other : List.of(
          "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {ports: %s}\n",
          "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {ports: [{port: %s}]}\n",
          "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web, namespace: shop}\ndata: %s\n",
          "apiVersion: v1\nkind: Secret\nmetadata: {name: web, namespace: shop}\nstringData: %s\n",
          "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\nspec: {rules: %s}\n",
          "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\n"
              + "spec: {rules: [{http: {paths: %s}}]}\n",
          "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\n"
              + "spec: {rules: [{http: {paths: [{path: %s, pathType: Prefix}]}}]}\n",
          "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {clusterIPs: %s}\n",
          "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\n"
              + "spec: {defaultBackend: %s}\n",
          "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\n"
              + "spec: {rules: [{http: %s}]}\n",
          "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\n"
              + "spec: {rules: [{http: {paths: [{path: /, pathType: Prefix, backend: %s}]}}]}\n",
          "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\n"
              + "spec: {defaultBackend: {service: %s}}\n",
          "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\n"
              + "spec: {defaultBackend: {service: {name: web, port: %s}}}\n",
          "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\n"
              + "spec: {defaultBackend: {service: {name: web, port: {name: %s, number: %<s}}}}\n",
          "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\n"
              + "spec: {defaultBackend: {resource: %s}}\n",
          "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: shop}\n"
              + "spec: {podSelector: {}, ingress: %s, egress: [{to: %<s, ports: %<s}]}\n",
          "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: shop}\n"
              + "spec: {podSelector: {}, ingress: [{ports: [{port: %s, endPort: %<s}], from: [{ipBlock: %<s}]}]}\n",
          "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: shop}\n"
              + "spec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: %s, except: %<s}}]}]}\n",
          "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: shop}\n"
              + "spec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [%s]}}]}]}\n",
          "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: web, namespace: shop}\n"
              + "spec: {accessModes: %s, resources: %<s}\n",
          "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: web, namespace: shop}\n"
              + "spec: {accessModes: [ReadWriteOnce], resources: {requests: %s}}\n",
          "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: web, namespace: shop}\n"
              + "spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: %s}}}\n",
          "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: web, namespace: shop}\nspec: {schedule: %s,"
              + " startingDeadlineSeconds: 10, jobTemplate: {spec: {template: {spec: {restartPolicy: Never,"
              + " containers: [{name: a, image: b}]}}}}}\n",
          "apiVersion: batch/v1\nkind: Job\nmetadata: {name: web, namespace: shop}\nspec: {backoffLimit: %s,"
              + " template: {spec: {restartPolicy: Never, containers: [{name: a, image: b}]}}}\n",
          "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web, namespace: shop}\nspec: {replicas: %s,"
              + " selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}},"
              + " spec: {containers: [{name: a, image: b}]}}}\n",
          "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web, namespace: shop}\n"
              + "spec: {selector: %s, maxUnavailable: 1}\n",
          "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web, namespace: shop}\n"
              + "spec: {maxReplicas: 3, metrics: %s}\n")) {
        docs.add(other.formatted(wrong));
      }
    }
    for (String doc : docs) {
      try {
        new ManifestLoader().load(dev.gitops.source.LoaderContract.snapshot("app.yaml", doc));
      } catch (dev.gitops.model.InvalidDesiredStateException e) {
        assertFalse(e.problems().isEmpty(), doc);
      } catch (RuntimeException e) {
        throw new AssertionError("the loader crashed on\n" + doc, e);
      }
    }
  }
}
