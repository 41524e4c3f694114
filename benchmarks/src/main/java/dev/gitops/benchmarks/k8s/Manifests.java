package dev.gitops.benchmarks.k8s;

import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Generated manifests: {@code n / 10} apps of one object of each of 10 kinds, one file per app.
 * Revision {@code r > 0} changes the ConfigMap of every 10th app (1% of all objects).
 */
final class Manifests {
  static final String NAMESPACE = "bench";
  /** apiVersion and kind of the 10 kinds. */
  static final List<String[]> KINDS = List.of(
      new String[] {"v1", "ConfigMap"}, new String[] {"v1", "Secret"},
      new String[] {"v1", "Service"}, new String[] {"v1", "ServiceAccount"},
      new String[] {"rbac.authorization.k8s.io/v1", "Role"},
      new String[] {"rbac.authorization.k8s.io/v1", "RoleBinding"},
      new String[] {"networking.k8s.io/v1", "NetworkPolicy"},
      new String[] {"networking.k8s.io/v1", "Ingress"},
      new String[] {"policy/v1", "PodDisruptionBudget"},
      new String[] {"autoscaling/v2", "HorizontalPodAutoscaler"});

  private final int apps;

  Manifests(int resources) {
    this.apps = resources / KINDS.size();
  }

  Snapshot snapshot(int revision) {
    Map<String, Content.Bytes> files = new TreeMap<>();
    for (int i = 0; i < apps; i++) {
      String app = String.format("app-%03d", i);
      String version = i % 10 == 0 ? "r" + revision : "r0";
      files.put(app + ".yaml", Content.bytes(app(app, version).getBytes(StandardCharsets.UTF_8),
          FileMode.REGULAR));
    }
    return Snapshot.of(Revision.of("bench-" + revision), files);
  }

  private static String app(String app, String version) {
    return app(app, version, NAMESPACE);
  }

  /** One object of each of the 10 kinds, named {@code app}, in {@code namespace}, as one YAML stream. */
  static String app(String app, String version, String namespace) {
    String meta = "metadata:\n  name: " + app + "\n  namespace: " + namespace
        + "\n  labels:\n    app: " + app + "\n";
    return "apiVersion: v1\nkind: ConfigMap\n" + meta + "data:\n  version: " + version
        + "\n  settings.properties: |\n    color=blue\n    size=10\n"
        + "---\napiVersion: v1\nkind: Secret\n" + meta + "stringData:\n  password: p-" + app + "\n"
        + "---\napiVersion: v1\nkind: Service\n" + meta + "spec:\n  selector:\n    app: " + app
        + "\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n"
        + "---\napiVersion: v1\nkind: ServiceAccount\n" + meta
        + "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\n" + meta
        + "rules:\n- apiGroups: [\"\"]\n  resources: [configmaps]\n  verbs: [get, list]\n"
        + "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n" + meta
        + "roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: " + app
        + "\nsubjects:\n- kind: ServiceAccount\n  name: " + app + "\n"
        + "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n" + meta
        + "spec:\n  podSelector:\n    matchLabels:\n      app: " + app + "\n  policyTypes: [Ingress]\n"
        + "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\n" + meta
        + "spec:\n  rules:\n  - host: " + app + ".example.com\n    http:\n      paths:\n"
        + "      - path: /\n        pathType: Prefix\n        backend:\n          service:\n"
        + "            name: " + app + "\n            port:\n              number: 80\n"
        + "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\n" + meta
        + "spec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app: " + app + "\n"
        + "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n" + meta
        + "spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: " + app
        + "\n  minReplicas: 1\n  maxReplicas: 3\n";
  }
}
