package dev.gitops.k8s.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Problem;
import dev.gitops.model.Snapshot;
import dev.gitops.source.DirectorySource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Kustomize reads a kustomization through Go's {@code encoding/json} (sigs.k8s.io/yaml), which matches
 * field names regardless of case: {@code PATCHES:}, {@code Path:}, {@code Resources:} are the fields
 * Kustomize knows, and fetch a URL from a loopback server (which no proxy variable stops). Each case
 * runs the real Kustomize once as the oracle (it does reach the server), then the loader, which
 * refuses at the line and sends nothing. A plug-in configuration written in place in a kustomization
 * ({@link InlinePlugins}) is refused at the line of its URL, as a configuration file is.
 */
class KustomizeUnlistedFieldsIT {
  private static final String CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n";
  @TempDir Path repo;
  private final AtomicInteger requests = new AtomicInteger();
  private HttpServer server;
  private String url;

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      byte[] body = (CM + "data:\n  fetched: 'yes'\n").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    url = "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @TestFactory
  Stream<DynamicTest> aUrlInAFieldSpelledInAnyCaseIsRefusedAtItsLine() {
    return Stream.of("""
        PATCHES[0].path         | 4 | resources:\\n- cm.yaml\\nPATCHES:\\n- path: URL/p.yaml\\n
        Configurations[0]       | 4 | resources:\\n- cm.yaml\\nConfigurations:\\n- URL/c.yaml\\n
        replacements[0].Path    | 4 | resources:\\n- cm.yaml\\nreplacements:\\n- Path: URL/r.yaml\\n
        configMapGenerator[0].Files[0] | 4 | configMapGenerator:\\n- name: g\\n  Files:\\n  - URL/f.txt\\n
        patchesJson6902[0].PATH | 7 | resources:\\n- cm.yaml\\npatchesJson6902:\\n- target:\\n    kind: ConfigMap\\n    name: c\\n  PATH: URL/j.yaml\\n
        Resources               | 3 | Resources:\\n- cm.yaml\\n- URL/r.yaml\\n
        CRDs                    | 4 | resources:\\n- cm.yaml\\nCRDs:\\n- URL/crd.yaml\\n
        Transformers[0].path    | 9 | resources:\\n- cm.yaml\\nTransformers:\\n- |-\\n  apiVersion: builtin\\n  kind: PatchTransformer\\n  metadata:\\n    name: p\\n  path: URL/t.yaml\\n
        transformers[0].path    | 4 | resources:\\n- cm.yaml\\ntransformers:\\n- "{apiVersion: builtin, kind: PatchTransformer, metadata: {name: p}, path: 'URL/t.yaml'}"\\n
        generators[0].FILES[0]  | 8 | generators:\\n- |-\\n  apiVersion: builtin\\n  kind: ConfigMapGenerator\\n  metadata:\\n    name: g\\n  FILES:\\n  - URL/f.txt\\n
        Validators[0].Path      | 9 | resources:\\n- cm.yaml\\nValidators:\\n- |\\n  apiVersion: builtin\\n  kind: PatchTransformer\\n  metadata:\\n    name: p\\n  Path: URL/v.yaml\\n
        """.split("\n")).map(row -> row.split("\\s+\\|\\s+", 3)).map(c -> DynamicTest.dynamicTest(c[0].strip(),
            () -> refused(c[0].strip(), Integer.parseInt(c[1].strip()), c[2].strip())));
  }

  private void refused(String field, int line, String kustomization) throws IOException {
    requests.set(0);
    Files.writeString(repo.resolve("cm.yaml"), CM);
    Files.writeString(repo.resolve("kustomization.yaml"), kustomization.replace("\\n", "\n").replace("URL", url));
    DirectorySource source = DirectorySource.of(repo);
    Snapshot snapshot = source.fetch(source.latest());
    Kustomize kustomize = Tools.kustomize();
    try (Workspace ws = Workspace.of(snapshot)) {
      ToolRun.run(kustomize.toString(), kustomize.hint(), kustomize.build(ws.root()), ws.root(),
          Kustomize.environment(ws.home(), false), Duration.ofMinutes(2), 1 << 20);
    }
    assertTrue(requests.get() > 0, "the oracle: Kustomize itself fetches through " + field);
    requests.set(0);

    KustomizeLoader loader = KustomizeLoader.of().withTool(kustomize).withTimeout(Duration.ofMinutes(2));
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class, () -> loader.load(snapshot));
    Problem p = e.problems().get(0);
    assertEquals("kustomization.yaml:" + line, p.file() + ":" + p.line(), e.getMessage());
    assertTrue(p.message().startsWith(field), p.message());
    assertEquals(0, loader.renders());
    assertEquals(0, requests.get(), "a request reached the server");
  }
}
