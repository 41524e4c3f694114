package dev.gitops.k8s.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Problem;
import dev.gitops.model.Snapshot;
import dev.gitops.source.DirectorySource;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kustomize fetches an http(s) URL wherever a kustomization names a file (a patch, a generator's
 * file, a plug-in's configuration), load restrictor or not: without {@code allowingRemote()} no
 * request leaves the loader, checked against a server that counts what reaches it.
 */
class KustomizeNoNetworkIT {
  private static final String PATCH = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  fetched: 'yes'\n";
  @TempDir Path repo;
  private final AtomicInteger requests = new AtomicInteger();
  private HttpServer server;

  private String serve(InetAddress address) throws IOException {
    server = HttpServer.create(new InetSocketAddress(address, 0), 0);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      byte[] body = PATCH.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return "http://" + address.getHostAddress() + ":" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private void write(String url) throws IOException {
    Files.writeString(repo.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n");
    Files.writeString(repo.resolve("kustomization.yaml"), "resources:\n- cm.yaml\npatches:\n- path: " + url + "/p.yaml\n");
  }

  private Snapshot snapshot() {
    DirectorySource source = DirectorySource.of(repo);
    return source.fetch(source.latest());
  }

  @Test
  void aPatchFromAUrlIsRefusedAtItsLineAndNothingIsFetched() throws IOException {
    write(serve(InetAddress.getLoopbackAddress()));
    KustomizeLoader loader = KustomizeLoader.of().withTool(Tools.kustomize()).withTimeout(Duration.ofMinutes(5));
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class, () -> loader.load(snapshot()));
    Problem p = e.problems().get(0);
    assertEquals("kustomization.yaml:4", p.file() + ":" + p.line(), e.getMessage());
    assertTrue(p.message().startsWith("patches[0].path 'http://"), p.message());
    assertEquals(0, loader.renders());
    assertEquals(0, requests.get(), "a request reached the server");
  }

  /** Past the check (a field it does not know), no proxy variable lets Kustomize leave the machine. */
  @Test
  void withoutRemoteKustomizeReachesNoOtherHostAnyway() throws IOException {
    InetAddress own = ownAddress();
    assumeTrue(own != null, "no non-loopback IPv4 address on this machine: skipped");
    write(serve(own));
    Kustomize kustomize = Tools.kustomize();
    try (Workspace ws = Workspace.of(snapshot())) {
      ToolRun.Result refused = ToolRun.run(kustomize.toString(), kustomize.hint(), kustomize.build(ws.root()),
          ws.root(), Kustomize.environment(ws.home(), false), Duration.ofMinutes(5), 1 << 20);
      assertNotEquals(0, refused.exit(), refused.stderr());
      assertEquals(0, requests.get(), "a request left the machine");
      ToolRun.Result allowed = ToolRun.run(kustomize.toString(), kustomize.hint(), kustomize.build(ws.root()),
          ws.root(), Kustomize.environment(ws.home(), true), Duration.ofMinutes(5), 1 << 20);
      assertEquals(0, allowed.exit(), allowed.stderr()); // the same run, network allowed: the oracle
      assertEquals(1, requests.get());
    }
  }

  private static InetAddress ownAddress() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress() && nic.isUp()) {
          return a;
        }
      }
    }
    return null;
  }
}
