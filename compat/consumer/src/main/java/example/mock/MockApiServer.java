package example.mock;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

/**
 * fabric8's mock API server in CRUD mode, in a process of its own (so that a consumer on another
 * classpath, such as one under the Spring Boot BOM, can talk to it). Writes its URL to the file
 * named by the first argument, then serves until stdin closes.
 */
public final class MockApiServer {
  private MockApiServer() {}

  public static void main(String[] args) throws Exception {
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(), false);
    server.init();
    String url = "http://" + server.getHostName() + ":" + server.getPort();
    Path out = Path.of(args[0]);
    Files.writeString(out.resolveSibling(out.getFileName() + ".tmp"), url);
    Files.move(out.resolveSibling(out.getFileName() + ".tmp"), out);
    while (System.in.read() != -1) {
      // serve until the script closes our stdin
    }
    server.destroy();
  }
}
