package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.testing.git.GitRepo;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An error that escapes a command after its plan was made — here the API server refusing the push
 * deploy's history record once the steps were written — is the server's words, which may quote what a
 * webhook saw (a Secret's value, plain or base64). The command line printed it, and with
 * {@code --verbose} its stack trace, escaped but unmasked; the plan's Secret values are masked now.
 * The refusal's wording is a webhook's (a real API server's own 422 for a ConfigMap quotes the
 * ConfigMap, not a Secret); the fabric8 mock runs no webhook, so the test's dispatcher plays it.
 */
class ErrorSecretsTest {
  private static final String VALUE = "hunter2-db-pass";
  private static final String BASE64 = Base64.getEncoder().encodeToString(VALUE.getBytes());
  @TempDir Path tmp;
  private MockKubernetes cluster;
  private GitRepo repo;
  private Path kubeconfig;

  /** The CRUD mock, but a webhook denies the history ConfigMap, quoting a Secret it was shown. */
  private static final class DenyingHistory extends KubernetesCrudDispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      if (!request.getMethod().equals("GET") && request.getPath().contains("/configmaps")
          && (request.getPath().contains("gitops-deploy-history") || request.getBody().readUtf8().contains(
              "gitops-deploy-history"))) {
        return new MockResponse().setResponseCode(400).setBody("""
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","reason":"BadRequest","code":400,
             "message":"admission webhook \\"audit.example.com\\" denied the request: the deploy also wrote Secret db\
             \\u202e with password %s (%s)"}
            """.formatted(VALUE, BASE64));
      }
      return super.dispatch(request);
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    cluster = MockKubernetes.crud(new DenyingHistory());
    kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        current-context: here
        clusters:
        - name: mock
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        contexts:
        - name: here
          context: {cluster: mock, user: me, namespace: default}
        users:
        - name: me
          user: {token: a-token}
        """.formatted(cluster.client().getMasterUrl()));
    repo = GitRepo.init(tmp.resolve("repo"));
    repo.write("k8s/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {password: "
        + VALUE + "}\n").commit("db");
  }

  @AfterEach
  void tearDown() {
    repo.close();
    cluster.close();
  }

  @Test
  void anErrorAfterThePlanPrintsThePlansSecretValuesMasked() {
    for (String verbose : new String[] {"--quiet", "--verbose"}) {
      Cli push = Cli.run("push", "--yes", verbose, "--repo", repo.dir().toString(), "--path", "k8s", "--target", "k8s",
          "--kubeconfig", kubeconfig.toString());
      assertEquals(1, push.exit(), push::toString);
      assertTrue(push.err().contains("denied the request: the deploy also wrote Secret db \\u202e with password *** (***)"),
          push::toString);
      assertFalse(push.err().contains(VALUE) || push.err().contains(BASE64) || push.out().contains(VALUE), push::toString);
    }
  }
}
