package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.testing.git.GitRepo;
import dev.gitops.testing.k8s.MockKubernetes;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code k8s} targets read the kubeconfig as kubectl does: {@code KUBECONFIG}'s files merged (the first
 * that sets a key wins, the first {@code current-context} counts), {@code --kubeconfig} alone, {@code
 * --context}, {@code -n} defaulting to the context's namespace, and a clear error for a context whose
 * cluster or user is missing. fabric8 reads {@code KUBECONFIG} or, first, the {@code kubeconfig} system
 * property: the tests set the property, the same code path. Every context that should be used points at
 * fabric8's mock API server; the ones a wrong merge would pick point at a closed port.
 */
class KubeconfigFilesTest {
  private static final String CLOSED = "https://127.0.0.1:1";
  @TempDir Path tmp;
  private MockKubernetes cluster;
  private GitRepo repo;
  private Path first;
  private Path second;
  private String before;

  @BeforeEach
  void setUp() throws Exception {
    cluster = MockKubernetes.crud();
    String url = cluster.client().getMasterUrl().toString();
    first = Files.writeString(tmp.resolve("first"), """
        apiVersion: v1
        kind: Config
        current-context: team-a
        clusters:
        - name: shared
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        contexts:
        - name: team-a
          context: {cluster: shared, user: me, namespace: team-a}
        - name: both
          context: {cluster: shared, user: me, namespace: from-first}
        users:
        - name: me
          user: {token: first-token}
        """.formatted(url));
    second = Files.writeString(tmp.resolve("second"), """
        apiVersion: v1
        kind: Config
        current-context: team-b
        clusters:
        - name: shared
          cluster: {server: "%s"}
        - name: own
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        contexts:
        - name: team-b
          context: {cluster: own, user: other, namespace: team-b}
        - name: both
          context: {cluster: shared, user: me, namespace: from-second}
        - name: no-cluster
          context: {cluster: gone, user: other}
        - name: no-user
          context: {cluster: own, user: ghost}
        users:
        - name: other
          user: {token: second-token}
        """.formatted(CLOSED, url));
    repo = GitRepo.init(tmp.resolve("repo"));
    repo.write("k8s/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: b}\n").commit("one");
    before = System.getProperty("kubeconfig");
    System.setProperty("kubeconfig", first + File.pathSeparator + second);
  }

  @AfterEach
  void tearDown() {
    if (before == null) {
      System.clearProperty("kubeconfig");
    } else {
      System.setProperty("kubeconfig", before);
    }
    repo.close();
    cluster.close();
  }

  private Cli plan(String... more) {
    return Cli.run(Cli.join(new String[] {"plan", "--repo", repo.dir().toString(), "--path", "k8s", "--diff", "none"},
        more));
  }

  @Test
  void theFirstFilesCurrentContextAndItsNamespaceAreTheDefaults() {
    Cli cli = plan("--target", "k8s");
    assertEquals(0, cli.exit(), cli::toString);
    assertTrue(cli.out().contains("ConfigMap/team-a/settings"), "the context's namespace, not default: " + cli);
    Cli pinned = plan("--target", "k8s", "-n", "elsewhere");
    assertTrue(pinned.out().contains("ConfigMap/elsewhere/settings"), "-n wins over the context: " + pinned);
  }

  @Test
  void aContextOfTheSecondFileIsFoundAndTheFirstFileWinsPerKey() {
    Cli second = plan("--target", "k8s:team-b");
    assertEquals(0, second.exit(), second::toString);
    assertTrue(second.out().contains("ConfigMap/team-b/settings"), second::toString);
    Cli both = plan("--target", "k8s", "--context", "both"); // cluster 'shared' too: the first file's reaches the mock
    assertEquals(0, both.exit(), both::toString);
    assertTrue(both.out().contains("ConfigMap/from-first/settings"), both::toString);
  }

  @Test
  void kubeconfigOptionReadsThatFileAlone() {
    Cli cli = plan("--target", "k8s", "--kubeconfig", second.toString());
    assertEquals(0, cli.exit(), cli::toString);
    assertTrue(cli.out().contains("ConfigMap/team-b/settings"), "its own current-context: " + cli);
    Cli none = plan("--target", "k8s:team-a", "--kubeconfig", second.toString());
    assertEquals(1, none.exit(), none::toString);
    assertTrue(none.err().contains("--target k8s:team-a: the kubeconfig (" + second + ") has no context 'team-a'"),
        none::toString);
  }

  @Test
  void aContextWhoseClusterOrUserIsMissingIsAnErrorNamingIt() {
    Cli cluster = plan("--target", "k8s:no-cluster");
    assertEquals(1, cluster.exit(), cluster::toString);
    assertTrue(cluster.err().contains("kubeconfig context 'no-cluster' names cluster 'gone', which the kubeconfig ("
        + first + ", " + second + ") does not have"), cluster::toString);
    Cli user = plan("--target", "k8s", "--context", "no-user");
    assertEquals(1, user.exit(), user::toString);
    assertTrue(user.err().contains("kubeconfig context 'no-user' names user 'ghost', which"), user::toString);
    assertFalse(user.err().contains("token"), user::toString);
  }

  @Test
  void badKubeconfigChoicesAreOneLineEach() {
    Cli tilde = plan("--target", "k8s", "--kubeconfig", "~/.kube/nope");
    assertEquals(1, tilde.exit(), tilde::toString);
    assertEquals("error: --kubeconfig ~/.kube/nope: no such file ('~' is not expanded here, as kubectl does not"
        + " expand it: write $HOME/... or a path the shell expands)", tilde.err().strip(), tilde::toString);
    Cli two = plan("--target", "k8s:team-a", "--context", "team-b");
    assertEquals(1, two.exit(), two::toString);
    assertEquals("error: --context team-b and --target k8s:team-a name two contexts: give one", two.err().strip(),
        two::toString);
    System.setProperty("kubeconfig", "~/.kube/config");
    Cli missing = plan("--target", "k8s");
    assertEquals(1, missing.exit(), missing::toString);
    assertTrue(missing.err().contains("no kubeconfig context to use: no kubeconfig found at ~/.kube/config ('~' is"),
        missing::toString);
  }

  @Test
  void aUsersTokenFileBesideItsKubeconfigIsSentAsTheBearerToken() throws Exception {
    List<String> presented = new CopyOnWriteArrayList<>();
    HttpServer refusing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0); // records, answers 401
    refusing.createContext("/", exchange -> {
      presented.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      byte[] body = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
          + "\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(401, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    refusing.start();
    try {
      Path folder = Files.createDirectories(tmp.resolve("kube"));
      Files.writeString(folder.resolve("token"), "file-token-SECRET\n");
      Path kubeconfig = Files.writeString(folder.resolve("config"), """
          apiVersion: v1
          kind: Config
          current-context: pod
          clusters: [{name: c, cluster: {server: "http://127.0.0.1:%d"}}]
          contexts: [{name: pod, context: {cluster: c, user: sa}}]
          users: [{name: sa, user: {tokenFile: token}}]
          """.formatted(refusing.getAddress().getPort()));
      Cli cli = plan("--target", "k8s", "--kubeconfig", kubeconfig.toString());
      assertTrue(cli.err().contains("HTTP 401"), cli::toString);
      assertFalse(cli.toString().contains("SECRET"), cli::toString);
      assertFalse(presented.isEmpty());
      assertEquals(Set.of("Bearer file-token-SECRET"), Set.copyOf(presented), "every request: " + presented);

      Files.delete(folder.resolve("token"));
      Cli gone = plan("--target", "k8s", "--kubeconfig", kubeconfig.toString());
      assertEquals(1, gone.exit(), gone::toString);
      assertEquals("error: " + kubeconfig + ":6: user 'sa': tokenFile " + folder.resolve("token") + " cannot be read"
          + " (NoSuchFileException) (the user has no token to fall back on)", gone.err().strip(), gone::toString);
    } finally {
      refusing.stop(0);
    }
  }

  @Test
  void contextClusterAndUserNamesFromTheKubeconfigArePrintedEscaped() throws Exception {
    String evil = "ev\nil\u001b[31m";
    Path kubeconfig = Files.writeString(tmp.resolve("evil"), """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "%s"}}]
        contexts:
        - {name: "ctx\\n\\e[2J", context: {cluster: "cl\\n\\e[31m", user: sa}}
        - {name: "usr\\n\\e[31m", context: {cluster: c, user: "u\\n\\e[1m"}}
        users: [{name: sa, user: {token: t}}]
        """.formatted(CLOSED));
    Cli unknown = plan("--target", "k8s", "--kubeconfig", kubeconfig.toString(), "--context", evil);
    assertEquals(1, unknown.exit(), unknown::toString);
    assertEquals("error: --context ev\\nil\\x1b[31m: the kubeconfig (" + kubeconfig + ") has no context"
        + " 'ev\\nil\\x1b[31m'; its contexts: ctx\\n\\x1b[2J, usr\\n\\x1b[31m", unknown.err().strip());
    Cli cluster = plan("--target", "k8s", "--kubeconfig", kubeconfig.toString(), "--context", "ctx\n\u001b[2J");
    assertEquals("error: kubeconfig context 'ctx\\n\\x1b[2J' names cluster 'cl\\n\\x1b[31m', which the kubeconfig ("
        + kubeconfig + ") does not have", cluster.err().strip());
    Cli user = plan("--target", "k8s", "--kubeconfig", kubeconfig.toString(), "--context", "usr\n\u001b[31m");
    assertEquals("error: kubeconfig context 'usr\\n\\x1b[31m' names user 'u\\n\\x1b[1m', which the kubeconfig ("
        + kubeconfig + ") does not have", user.err().strip());
  }
}
