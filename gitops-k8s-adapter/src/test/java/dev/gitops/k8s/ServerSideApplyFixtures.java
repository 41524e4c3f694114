package dev.gitops.k8s;

/** Manifests of {@link ServerSideApplyPullCycleIT}, as a Git repository would hold them. */
final class ServerSideApplyFixtures {
  private ServerSideApplyFixtures() {}

  /**
   * A Deployment in the style of Tekton's remote resolvers ({@code args: []}, an env var with
   * {@code value: ""}, a fieldRef without apiVersion, ports without protocol, {@code cpu: 1000m},
   * {@code nodeSelector: {}}, an emptyDir with {@code sizeLimit: 1024Mi}), its Service and a ConfigMap.
   */
  static final String TEKTON_STYLE = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: remote-resolvers
        namespace: shop
        labels:
          app.kubernetes.io/name: resolvers
      spec:
        replicas: 1
        minReadySeconds: 0
        selector:
          matchLabels:
            app.kubernetes.io/name: resolvers
        template:
          metadata:
            annotations: {}
            labels:
              app.kubernetes.io/name: resolvers
          spec:
            nodeSelector: {}
            imagePullSecrets: []
            hostNetwork: false
            containers:
            - name: controller
              image: ghcr.io/example/resolvers:0.62.1
              args: []
              command: []
              resources:
                requests:
                  cpu: 100m
                  memory: 100Mi
                limits:
                  cpu: 1000m
                  memory: 4Gi
              ports:
              - name: metrics
                containerPort: 9090
              - name: probes
                containerPort: 8080
              env:
              - name: SYSTEM_NAMESPACE
                valueFrom:
                  fieldRef:
                    fieldPath: metadata.namespace
              - name: PROBES_PORT
                value: "8080"
              - name: TEKTON_HUB_API
                value: ""
              volumeMounts:
              - name: tmp
                mountPath: /tmp
                readOnly: false
              readinessProbe:
                httpGet:
                  path: /ready
                  port: probes
            volumes:
            - name: tmp
              emptyDir:
                sizeLimit: 1024Mi
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: remote-resolvers
        namespace: shop
      spec:
        selector:
          app.kubernetes.io/name: resolvers
        ports:
        - name: metrics
          port: 9090
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: resolvers-feature-flags
        namespace: shop
      data:
        enable-git-resolver: "true"
        hub-api: ""
      """;

  /** A ConfigMap with a label and two keys, a Deployment with two container ports. */
  static final String REMOVALS_BEFORE = """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: settings
        namespace: shop
        labels:
          app: web
          tier: frontend
      data:
        A: "1"
        B: "2"
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: shop
      spec:
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: web
          spec:
            containers:
            - name: web
              image: ghcr.io/example/web:1.4.2
              ports:
              - name: http
                containerPort: 8080
              - name: metrics
                containerPort: 9090
      """;

  /** {@link #REMOVALS_BEFORE} without the label {@code tier}, the key {@code B} and the port 9090. */
  static final String REMOVALS_AFTER = REMOVALS_BEFORE.replace("    tier: frontend\n", "")
      .replace("  B: \"2\"\n", "").replace("""
              - name: metrics
                containerPort: 9090
      """, "");

  /**
   * A Pod with a toleration, a volume and {@code imagePullSecrets: []} of its own, running as a
   * service account that has a pull secret; a NodePort Service.
   */
  static final String POD_AND_SERVICE = """
      apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: builder
        namespace: shop
      imagePullSecrets:
      - name: builder-registry
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: runner
        namespace: shop
      spec:
        serviceAccountName: builder
        imagePullSecrets: []
        tolerations:
        - key: dedicated
          operator: Equal
          value: batch
          effect: NoSchedule
        containers:
        - name: runner
          image: ghcr.io/example/runner:3.1.0
          volumeMounts:
          - name: config
            mountPath: /etc/runner
            readOnly: true
        volumes:
        - name: config
          configMap:
            name: runner-config
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: runner
        namespace: shop
      spec:
        type: NodePort
        selector:
          app: runner
        ports:
        - port: 80
          targetPort: 8080
      """;
}
