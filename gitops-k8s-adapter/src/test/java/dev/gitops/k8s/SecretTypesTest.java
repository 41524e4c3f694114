package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.gitops.model.DesiredState;
import dev.gitops.source.LoaderContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SecretTypes} through {@link ManifestLoader}: a Secret without the keys its type requires
 * is a problem at its line, as the API server refuses it (422 at the write of its wave; the mock
 * takes it), never showing a value; what the server takes loads.
 */
class SecretTypesTest {
  private static final String REFUSED = ": the API server refuses the object";

  @Test
  void aSecretWithoutTheKeysOfItsTypeIsAProblemAtItsLine() {
    List<String> found = Fixtures.loadProblems("""
        apiVersion: v1
        kind: Secret
        metadata: {name: web-tls, namespace: shop}
        type: kubernetes.io/tls
        data:
          tls.crt: ""
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: pull, namespace: shop}
        type: kubernetes.io/dockerconfigjson
        stringData:
          .dockerconfigjson: '{"auths": {"r.example.com": {"auth": "c2VjcmV0"}}'
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: legacy, namespace: shop}
        type: kubernetes.io/dockercfg
        data:
          .dockercfg: WyJzZWNyZXQiXQ==
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: git, namespace: shop}
        type: kubernetes.io/basic-auth
        stringData:
          token: secret
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: deploy-key, namespace: shop}
        type: kubernetes.io/ssh-auth
        data:
          ssh-privatekey: c2VjcmV0
        stringData:
          ssh-privatekey: ""
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: ci-token, namespace: shop}
        type: kubernetes.io/service-account-token
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: registry, namespace: shop}
        type: kubernetes.io/dockerconfigjson
        """);
    assertEquals(List.of(
        "app.yaml:6: Secret/shop/web-tls: data[\"tls.key\"]: missing where type is kubernetes.io/tls, which needs it"
            + " (in data or stringData; it may be empty)" + REFUSED,
        "app.yaml:13: Secret/shop/pull: stringData[\".dockerconfigjson\"]: not valid JSON (line 1, column 50) where"
            + " type is kubernetes.io/dockerconfigjson, which takes a JSON object there (value not shown)" + REFUSED,
        "app.yaml:20: Secret/shop/legacy: data[\".dockercfg\"]: JSON but not an object where type is"
            + " kubernetes.io/dockercfg, which takes a JSON object there (value not shown)" + REFUSED,
        "app.yaml:27: Secret/shop/git: data: neither username nor password where type is kubernetes.io/basic-auth,"
            + " which needs one of them (in data or stringData; it may be empty)" + REFUSED,
        "app.yaml:36: Secret/shop/deploy-key: stringData[\"ssh-privatekey\"]: empty where type is"
            + " kubernetes.io/ssh-auth, which needs a private key" + REFUSED,
        "app.yaml:40: Secret/shop/ci-token: metadata.annotations[\"kubernetes.io/service-account.name\"]: missing"
            + " where type is kubernetes.io/service-account-token, which names its ServiceAccount there" + REFUSED,
        "app.yaml:46: Secret/shop/registry: data[\".dockerconfigjson\"]: missing where type is"
            + " kubernetes.io/dockerconfigjson, which needs it (in data or stringData; it may be empty)" + REFUSED),
        found);
    assertFalse(String.join("\n", found).contains("secret") || String.join("\n", found).contains("c2VjcmV0"),
        "no value is shown");
  }

  @Test
  void whatTheServerTakesLoads() {
    DesiredState d = new ManifestLoader().load(LoaderContract.snapshot("app.yaml", """
        apiVersion: v1
        kind: Secret
        metadata: {name: empty-tls, namespace: shop}
        type: kubernetes.io/tls
        data: {tls.crt: "", tls.key: ""}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: split-tls, namespace: shop}
        type: kubernetes.io/tls
        data: {tls.crt: ""}
        stringData: {tls.key: ""}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: pull, namespace: shop}
        type: kubernetes.io/dockerconfigjson
        data: {.dockerconfigjson: e30=}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: pull-text, namespace: shop}
        type: kubernetes.io/dockerconfigjson
        stringData:
          .dockerconfigjson: |
            {"auths": {}}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: legacy, namespace: shop}
        type: kubernetes.io/dockercfg
        stringData: {.dockercfg: "null"}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: git, namespace: shop}
        type: kubernetes.io/basic-auth
        stringData: {password: ""}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: deploy-key, namespace: shop}
        type: kubernetes.io/ssh-auth
        data: {ssh-privatekey: ""}
        stringData: {ssh-privatekey: key}
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: ci-token
          namespace: shop
          annotations: {kubernetes.io/service-account.name: ci}
        type: kubernetes.io/service-account-token
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: other, namespace: shop}
        type: example.com/anything
        """));
    assertEquals(9, d.resources().size());
  }

  @Test
  void aValueThatIsNotBase64IsOneProblemNotTwo() {
    List<String> found = Fixtures.loadProblems("""
        apiVersion: v1
        kind: Secret
        metadata: {name: pull, namespace: shop}
        type: kubernetes.io/dockerconfigjson
        data: {.dockerconfigjson: "{not base64}"}
        """);
    assertEquals(1, found.size(), found::toString);
    assertFalse(found.get(0).contains("JSON"), found::toString);
  }
}
