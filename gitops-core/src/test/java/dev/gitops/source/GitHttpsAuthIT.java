package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP(S) credentials go to the server through JGit's credentials provider and never into a message. */
class GitHttpsAuthIT {
  @TempDir Path tmp;
  private HttpServer server;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (auth != null) {
        authorizations.add(auth);
      }
      exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
      exchange.sendResponseHeaders(401, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/org/repo.git";
  }

  @Test
  void credentialsFromTheBuilderAreSentAndMaskedWhenRefused() {
    try (GitSource source = GitSource.builder(base()).ref("main").cache(tmp).credentials("deployer", "s3cr3t-t0ken")
        .build()) {
      SourceException e = assertThrows(SourceException.class, source::latest);
      assertRefusedAndMasked(e);
    }
  }

  @Test
  void credentialsInTheUrlAreSentAndMaskedWhenRefused() {
    String url = base().replace("http://", "http://deployer:s3cr3t-t0ken@");
    try (GitSource source = GitSource.builder(url).ref("main").cache(tmp).build()) {
      SourceException e = assertThrows(SourceException.class, source::latest);
      assertRefusedAndMasked(e);
      assertFalse(source.describe().contains("s3cr3t"), source.describe());
    }
  }

  private void assertRefusedAndMasked(SourceException e) {
    String expected = "Basic " + Base64.getEncoder().encodeToString("deployer:s3cr3t-t0ken".getBytes(StandardCharsets.UTF_8));
    assertTrue(authorizations.contains(expected), "server saw " + authorizations);
    String masked = "http://***@127.0.0.1:" + server.getAddress().getPort() + "/org/repo.git";
    assertTrue(e.getMessage().contains(masked), e.getMessage());
    assertTrue(e.getMessage().contains("ref main"), e.getMessage());
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t).contains("s3cr3t"), t.toString());
    }
    assertEquals(0, e.getSuppressed().length);
  }
}
