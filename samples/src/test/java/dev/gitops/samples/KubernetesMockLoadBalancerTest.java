package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.testing.git.GitRepo;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 item 4: k8s-mock plays the load-balancer controller too, so an ingress-nginx-style push
 * (a LoadBalancer Service whose health waits for an ingress address, then a later wave) succeeds.
 */
class KubernetesMockLoadBalancerTest {
  @Test
  void pushingALoadBalancerServiceSucceedsAndLaterWavesRun(@TempDir Path tmp) throws Exception {
    try (GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
      repo.write("k8s/00-namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ingress-nginx\n")
          .write("k8s/controller.yaml", """
              apiVersion: apps/v1
              kind: Deployment
              metadata:
                name: ingress-nginx-controller
                namespace: ingress-nginx
              spec:
                replicas: 1
                selector:
                  matchLabels: {app.kubernetes.io/name: ingress-nginx}
                template:
                  metadata:
                    labels: {app.kubernetes.io/name: ingress-nginx}
                  spec:
                    containers:
                      - name: controller
                        image: registry.k8s.io/ingress-nginx/controller:v1.12.0
                        ports: [{name: http, containerPort: 80}, {name: https, containerPort: 443}]
              ---
              apiVersion: v1
              kind: Service
              metadata:
                name: ingress-nginx-controller
                namespace: ingress-nginx
              spec:
                type: LoadBalancer
                externalTrafficPolicy: Local
                selector: {app.kubernetes.io/name: ingress-nginx}
                ports:
                  - {name: http, port: 80, targetPort: http}
                  - {name: https, port: 443, targetPort: https}
              """)
          .write("k8s/later.yaml", """
              apiVersion: v1
              kind: ConfigMap
              metadata:
                name: after-the-load-balancer
                namespace: ingress-nginx
                annotations: {gitops.dev/wave: "1"}
              data: {ready: "yes"}
              """)
          .commit("ingress-nginx");
      Cli push = Cli.run("push", "--repo", repo.dir().toString(), "--path", "k8s", "--target", "k8s-mock",
          "--yes", "--json");
      assertEquals(0, push.exit(), push::toString);
      JsonNode report = Schemas.check(push.out());
      assertTrue(report.path("success").asBoolean(), push::toString);
      assertEquals(4, report.path("counts").path("applied").asInt(), push::toString);
      assertEquals(0, report.path("counts").path("skipped").asInt(), push::toString);
      assertTrue(push.err().contains("gives LoadBalancer Services an address"), push::toString);
    }
  }
}
