package dev.gitops.k8s.render;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** An overlay repository written by the tests: a base and two overlays, patches, generators. */
public final class Overlay {
  private Overlay() {}

  static final String BASE_KUSTOMIZATION = """
      resources:
      - deploy.yaml
      - service.yaml
      configMapGenerator:
      - name: web-config
        literals:
        - color=%s
      secretGenerator:
      - name: web-secret
        literals:
        - password=%s
      """;

  static final String DEPLOY = """
      # the web server
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        labels:
          app: web
      spec:
        replicas: 1
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
              image: nginx:1.27
              envFrom:
              - configMapRef:
                  name: web-config
              - secretRef:
                  name: web-secret
      """;

  static final String SERVICE = """
      apiVersion: v1
      kind: Service
      metadata:
        name: web
      spec:
        selector:
          app: web
        ports:
        - port: 80
      ---
      apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: web
      """;

  static String overlay(String env, int replicas) {
    return """
        namespace: %s
        namePrefix: %s-
        resources:
        - ../../base
        patches:
        - path: replicas.yaml
        """.formatted(env, env);
  }

  static String patch(int replicas) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: %d
        """.formatted(replicas);
  }

  /** Writes base and overlays {@code staging} (2 replicas) and {@code production} (5) under {@code root}. */
  public static void write(Path root, String color, String password) throws IOException {
    Files.createDirectories(root.resolve("base"));
    Files.writeString(root.resolve("base/kustomization.yaml"), BASE_KUSTOMIZATION.formatted(color, password));
    Files.writeString(root.resolve("base/deploy.yaml"), DEPLOY);
    Files.writeString(root.resolve("base/service.yaml"), SERVICE);
    for (String env : new String[] {"staging", "production"}) {
      int replicas = env.equals("staging") ? 2 : 5;
      Path dir = Files.createDirectories(root.resolve("overlays/" + env));
      Files.writeString(dir.resolve("kustomization.yaml"), overlay(env, replicas));
      Files.writeString(dir.resolve("replicas.yaml"), patch(replicas));
    }
  }
}
