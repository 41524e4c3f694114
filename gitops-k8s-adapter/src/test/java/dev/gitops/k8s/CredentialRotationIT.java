package dev.gitops.k8s;

import static dev.gitops.k8s.Fixtures.await;
import static dev.gitops.k8s.Fixtures.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.GitOpsException;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.target.TargetException;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long-running agent's credentials rotate under its one fabric8 client: an exec plugin's token
 * expires (EKS, GKE: 15 minutes to an hour), a kubeconfig's token is rewritten on disk, a
 * projected service-account token is rewritten by the kubelet. The server then answers 401; fabric8
 * 8.0.0 ({@code TokenRefreshInterceptor}) asks the credential's source again once after a 401 and
 * sends the request once more, for requests and for watches alike: the run goes on, the cache's
 * watches come back without listing again, and a credential the source cannot renew fails the run
 * once, saying so, without the token.
 */
class CredentialRotationIT {
  @TempDir Path dir;
  private final BearerTokens server = new BearerTokens("eks-token-1-SECRET");
  private final MockKubernetes cluster = MockKubernetes.crud(server);
  private KubernetesClient client;
  private ClusterCache cache;

  @AfterEach
  void close() {
    if (cache != null) {
      cache.close();
    }
    if (client != null) {
      client.close();
    }
    cluster.close();
  }

  /** A kubeconfig for the mock whose user is {@code user} (YAML under {@code user:}). */
  private Path kubeconfig(String user) throws Exception {
    return Files.writeString(dir.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters: [{name: mock, cluster: {server: '%s'}}]
        contexts: [{name: mock, context: {cluster: mock, user: agent}}]
        current-context: mock
        users:
        - name: agent
          user: %s
        """.formatted(cluster.client().getMasterUrl(), user));
  }

  /**
   * An exec credential plugin, as {@code aws eks get-token} answers: the token the cloud issues now
   * (the file {@code issued}); each run appends a line to {@code calls}.
   */
  private Path plugin(String token) throws Exception {
    Files.writeString(dir.resolve("issued"), token);
    Path plugin = dir.resolve("get-token");
    Files.writeString(plugin, """
        #!/bin/sh
        echo run >> '%1$s/calls'
        printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%%s"}}' \
          "$(cat '%1$s/issued')"
        """.formatted(dir));
    Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwx------"));
    return plugin;
  }

  private long pluginRuns() throws Exception {
    Path calls = dir.resolve("calls");
    return Files.exists(calls) ? Files.readAllLines(calls).size() : 0;
  }

  private KubernetesClient execClient() throws Exception {
    Path plugin = plugin("eks-token-1-SECRET");
    client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig("""
        {exec: {apiVersion: client.authentication.k8s.io/v1, command: '%s', interactiveMode: Never}}"""
        .formatted(plugin)).toFile())).build();
    return client;
  }

  private Reconciler reconciler(KubernetesTarget target, String mode) throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Files.writeString(repo.resolve("app.yaml"), Fixtures.settingsAndAccount(mode));
    return Fixtures.reconciler(repo, target);
  }

  private static KubernetesTarget.Options patching() {
    return KubernetesTarget.Options.defaults().withStrategy(ApplyStrategy.JSON_PATCH);
  }

  @Test
  void anExpiredExecPluginTokenIsRenewedFromThePluginOnceAndTheRunGoesOn() throws Exception {
    KubernetesTarget target = KubernetesTarget.of(execClient(), patching());
    ok(reconciler(target, "a").reconcile(null));
    assertEquals(1, pluginRuns(), "one token at start");
    assertEquals(List.of(), server.refused);

    Files.writeString(dir.resolve("issued"), "eks-token-2-SECRET"); // the old one expired
    server.accepted = "eks-token-2-SECRET";
    ok(reconciler(target, "b").reconcile(null));

    assertEquals("b", client.configMaps().inNamespace("shop").withName("settings").get().getData().get("mode"));
    assertTrue(server.refused.size() >= 1, "the expired token was refused: " + server.refused);
    assertEquals(1 + server.refused.size(), pluginRuns(), "the plugin asked again once per refusal, no loop: "
        + server.refused);
    int refused = server.refused.size();
    ok(reconciler(target, "c").reconcile(null));
    assertEquals(refused, server.refused.size(), "the renewed token is used from then on: " + server.refused);
  }

  @Test
  void theCachesWatchesComeBackWithARenewedTokenWithoutListingAgain() throws Exception {
    cache = ClusterCache.of(execClient());
    Reconciler web = reconciler(KubernetesTarget.of(cache, patching()), "a");
    ok(web.reconcile(null));
    ok(web.reconcile(null));
    int watches = server.openWatches();
    assertTrue(watches > 0, "the cache watches");
    cluster.requests();

    Files.writeString(dir.resolve("issued"), "eks-token-2-SECRET");
    server.accepted = "eks-token-2-SECRET";
    server.dropWatches(); // an open watch outlives its token; its next start presents the token again
    await(() -> server.openWatches() == watches && cache.status().stream()
        .allMatch(s -> s.mode().equals("watching")), "every watch back");
    client.configMaps().inNamespace("shop").withName("settings")
        .edit(cm -> { cm.getData().put("mode", "by-hand"); return cm; }); // drift the cache must see

    await(() -> web.plan(null).changes().size() == 1, "the drift, seen through the watch");
    ok(web.reconcile(null));

    List<String> requests = cluster.requests();
    for (String refused : server.refused) {
      assertTrue(requests.stream().filter(refused::equals).count() >= 2, "sent again after the refresh: " + refused);
    }
    assertTrue(requests.stream().noneMatch(r -> r.startsWith("GET /api/v1/configmaps?") && !r.contains("watch=true")
        || r.startsWith("GET /api/v1/serviceaccounts?labelSelector=gitops.dev")), "no feed listed again: " + requests);
    int refused = server.refused.size();
    assertTrue(ok(web.reconcile(null)).plan().isEmpty());
    assertEquals(refused, server.refused.size(), "the renewed token is used from then on: " + server.refused);
    assertEquals("a", client.configMaps().inNamespace("shop").withName("settings").get().getData().get("mode"));
  }

  @Test
  void aKubeconfigTokenRewrittenOnDiskIsReadAgainAfterA401() throws Exception {
    client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(
        kubeconfig("{token: eks-token-1-SECRET}").toFile())).build();
    KubernetesTarget target = KubernetesTarget.of(client, patching());
    ok(reconciler(target, "a").reconcile(null));

    kubeconfig("{token: rotated-token-2-SECRET}");
    server.accepted = "rotated-token-2-SECRET";
    ok(reconciler(target, "b").reconcile(null));

    assertEquals("b", client.configMaps().inNamespace("shop").withName("settings").get().getData().get("mode"));
  }

  @Test
  void anInClusterServiceAccountTokenRewrittenByTheKubeletIsReadAgainAfterA401() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "eks-token-1-SECRET");
    Map<String, String> inCluster = Map.of("kubernetes.auth.tryKubeConfig", "false",
        "KUBERNETES_SERVICE_HOST", "127.0.0.1", "KUBERNETES_SERVICE_PORT", "443",
        "kubernetes.auth.serviceAccount.token", token.toString());
    Map<String, String> before = new HashMap<>();
    inCluster.forEach((k, v) -> before.put(k, System.setProperty(k, v)));
    try {
      Config config = Config.autoConfigure(null); // as in a pod: the projected token, read from its file
      config.setMasterUrl(String.valueOf(cluster.client().getMasterUrl())); // the mock, not https://127.0.0.1:443
      client = new KubernetesClientBuilder().withConfig(config).build();
      KubernetesTarget target = KubernetesTarget.of(client, patching());
      ok(reconciler(target, "a").reconcile(null));

      Path next = Files.writeString(dir.resolve("token.new"), "projected-token-2-SECRET");
      Files.move(next, token, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING); // as the kubelet
      server.accepted = "projected-token-2-SECRET";
      ok(reconciler(target, "b").reconcile(null));

      assertEquals("b", client.configMaps().inNamespace("shop").withName("settings").get().getData().get("mode"));
      assertFalse(server.refused.isEmpty(), "the old token was refused first");
    } finally {
      before.forEach((k, v) -> {
        if (v == null) {
          System.clearProperty(k);
        } else {
          System.setProperty(k, v);
        }
      });
    }
  }

  @Test
  void aCredentialThePluginCannotRenewFailsTheRunOnceSayingSoWithoutTheToken() throws Exception {
    KubernetesTarget target = KubernetesTarget.of(execClient(), patching());
    Reconciler web = reconciler(target, "a");
    ok(web.reconcile(null));
    long runs = pluginRuns();
    server.accepted = "eks-token-3-SECRET"; // token 1 revoked early: the plugin still answers it
    cluster.requests();

    TargetException e = assertThrows(TargetException.class, () -> web.reconcile(null));

    String text = e.getMessage();
    assertTrue(text.contains("HTTP 401: Unauthorized: the API server at " + client.getMasterUrl()
        + " did not accept the client's credentials"), text);
    assertFalse(text.contains("SECRET"), "no token in the message: " + text);
    assertFalse(e.retryable(), "a 401 after fabric8's refresh is not retried again");
    List<String> requests = cluster.requests();
    assertEquals(requests, server.refused.subList(server.refused.size() - requests.size(), server.refused.size()));
    assertEquals(0, requests.size() % 2, "each request sent twice, before and after asking the plugin: " + requests);
    assertEquals(runs + requests.size() / 2, pluginRuns(), "one plugin run per refused request");
  }

  /** A client of {@code kubeconfig(user)} through {@link KubeconfigCredentials#withTokenFile}. */
  private KubernetesTarget tokenFileClient(String user) throws Exception {
    client = new KubernetesClientBuilder().withConfig(KubeconfigCredentials.withTokenFile(Config.fromKubeconfig(
        kubeconfig(user).toFile()))).build();
    return KubernetesTarget.of(client, patching());
  }

  /** Replaces the token file as the kubelet and token sidecars do: a new file moved over the old one. */
  private void rotate(String token) {
    try {
      Path next = Files.writeString(dir.resolve("token.new"), token + "\n");
      Files.move(next, dir.resolve("token"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aKubeconfigTokenFileRelativeToTheKubeconfigIsReadTrimmedSoTheFirstRequestIsAuthenticated() throws Exception {
    Files.writeString(dir.resolve("token"), "  eks-token-1-SECRET\n");
    ok(reconciler(tokenFileClient("{tokenFile: token}"), "a").reconcile(null)); // beside the kubeconfig, not the cwd

    assertEquals(List.of(), server.refused);
    assertEquals("a", client.configMaps().inNamespace("shop").withName("settings").get().getData().get("mode"));
  }

  @Test
  void aTokenFileRotatedIsReadForTheNextRequestWithoutA401() throws Exception {
    rotate("eks-token-1-SECRET");
    KubernetesTarget target = tokenFileClient("{tokenFile: token}");
    ok(reconciler(target, "a").reconcile(null));

    rotate("projected-token-2-SECRET");
    server.accepted = "projected-token-2-SECRET";
    ok(reconciler(target, "b").reconcile(null));

    assertEquals(List.of(), server.refused);
    assertEquals("b", client.configMaps().inNamespace("shop").withName("settings").get().getData().get("mode"));
  }

  @Test
  void aTokenFileRotatedWhenTheServerRefusesTheOldTokenIsReadAgainAfterThe401AndTheRequestSentAgain() throws Exception {
    rotate("eks-token-1-SECRET");
    KubernetesTarget target = tokenFileClient("{tokenFile: token}");
    ok(reconciler(target, "a").reconcile(null));
    cluster.requests();

    server.accepted = "projected-token-2-SECRET"; // the old token expired; the file still holds it
    server.onRefusal = () -> rotate("projected-token-2-SECRET"); // renewed just as the server refused it
    ok(reconciler(target, "b").reconcile(null));

    assertEquals("b", client.configMaps().inNamespace("shop").withName("settings").get().getData().get("mode"));
    assertEquals(1, server.refused.size(), "one 401, then the file's new token: " + server.refused);
    List<String> requests = cluster.requests();
    assertEquals(2, requests.stream().filter(server.refused.get(0)::equals).count(), "sent again: " + requests);
  }

  @Test
  void aReadableTokenFileWinsOverTheUsersTokenWhichIsTheFallbackWhenTheFileIsMissing() throws Exception {
    server.accepted = "file-token-SECRET"; // kubectl 1.32 sends the file's token when the user has both
    rotate("file-token-SECRET");
    ok(reconciler(tokenFileClient("{token: inline-token-SECRET, tokenFile: token}"), "a").reconcile(null));
    assertEquals(List.of(), server.refused);
    client.close();

    server.accepted = "inline-token-SECRET"; // and the token when the file cannot be read
    ok(reconciler(tokenFileClient("{token: inline-token-SECRET, tokenFile: gone}"), "b").reconcile(null));
    assertEquals(List.of(), server.refused);
  }

  @Test
  void aTokenFileThatCannotBeReadIsAnErrorNamingTheKubeconfigLineUserAndFileButNoToken() throws Exception {
    Path kubeconfig = kubeconfig("{tokenFile: gone}");
    GitOpsException missing = assertThrows(GitOpsException.class,
        () -> KubeconfigCredentials.withTokenFile(Config.fromKubeconfig(kubeconfig.toFile())));
    assertEquals(kubeconfig + ":7: user 'agent': tokenFile " + dir.resolve("gone") + " cannot be read"
        + " (NoSuchFileException) (the user has no token to fall back on)", missing.getMessage());

    Files.writeString(dir.resolve("blank"), " \n");
    GitOpsException blank = assertThrows(GitOpsException.class, () -> KubeconfigCredentials.withTokenFile(
        Config.fromKubeconfig(kubeconfig("{tokenFile: blank}").toFile())));
    assertTrue(blank.getMessage().endsWith(": tokenFile " + dir.resolve("blank") + " is empty (the user has no"
        + " token to fall back on)"), blank.getMessage());
  }

  @Test
  void aUserWithoutTokenFileKeepsFabric8sOwnCredentials() throws Exception {
    Config config = Config.fromKubeconfig(kubeconfig("{token: eks-token-1-SECRET}").toFile());
    assertEquals(config, KubeconfigCredentials.withTokenFile(config));
    assertEquals(null, config.getOauthTokenProvider());
  }
}
