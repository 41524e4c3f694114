package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.gitops.testing.git.GitRepo;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 3: {@code plan --out} never writes the Git credential; {@code apply --repo} gives
 * it again, for the saved plan's repository only. The repository is served over HTTP (Git's "dumb"
 * protocol: its files as they are) behind Basic authentication with a password full of reserved
 * characters.
 */
class SavedPlanCredentialsTest {
  private static final String USER = "alice";
  private static final String PASSWORD = "p@ss:w/rd%";
  @TempDir Path tmp;

  @Test
  void aSavedPlanNeverHoldsTheCredentialAndApplyTakesItAgain() throws Exception {
    Path site = Files.createDirectories(tmp.resolve("site"));
    try (GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
      repo.write("site/index.html", "<h1>one</h1>\n").commit("one");
      Process info = new ProcessBuilder("git", "update-server-info").directory(repo.dir().toFile())
          .redirectErrorStream(true).start();
      assertEquals(0, info.waitFor(), new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      HttpServer server = serve(repo.dir().resolve(".git"));
      try {
        String bare = "http://127.0.0.1:" + server.getAddress().getPort() + "/repo.git";
        String withCredentials = bare.replace("http://", "http://" + USER + ":"
            + java.net.URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "@");
        Path saved = tmp.resolve("plan.json");

        Cli plan = Cli.run("plan", "--repo", withCredentials, "--path", "site", "--target", "dir:" + site,
            "--out", saved.toString());
        assertEquals(0, plan.exit(), plan::toString);
        String text = Files.readString(saved);
        assertFalse(text.contains(USER) || text.contains("p%40ss") || text.contains("p@ss"), text);
        assertTrue(text.contains("\"repo\" : \"" + bare + "\""), text);

        Cli other = Cli.run("apply", "--plan", saved.toString(), "--target", "dir:" + site, "--repo",
            withCredentials.replace("/repo.git", "/other.git"));
        assertEquals(1, other.exit(), other::toString);
        assertTrue(other.err().contains("is not the repository the plan was made from (" + bare + ")"),
            other::toString);
        assertFalse(other.err().contains("p%40ss") || other.err().contains(USER + ":"), other::toString);

        Cli apply = Cli.run("apply", "--plan", saved.toString(), "--target", "dir:" + site, "--repo",
            withCredentials);
        assertEquals(0, apply.exit(), apply::toString);
        assertEquals("<h1>one</h1>\n", Files.readString(site.resolve("index.html")));
      } finally {
        server.stop(0);
      }
    }
  }

  /** Serves the files under {@code dir} to requests with the right Basic credentials, 401 to others. */
  private static HttpServer serve(Path dir) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    String expected = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD)
        .getBytes(StandardCharsets.UTF_8));
    server.createContext("/repo.git/", exchange -> {
      try (exchange) {
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
          exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
          exchange.sendResponseHeaders(401, -1);
          return;
        }
        String rel = exchange.getRequestURI().getPath().substring("/repo.git/".length());
        Path file = dir.resolve(rel).normalize();
        if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        byte[] body = Files.readAllBytes(file);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    });
    server.start();
    return server;
  }
}
