package dev.gitops.benchmarks.k8s;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * fabric8's mock API server (CRUD mode) in a process of its own, so that what a benchmark measures
 * in its own JVM (heap, CPU) is the client's. Prints {@code url <url>} once listening; then answers
 * each line {@code count} on standard input with {@code <requests> <writes>} since start, and ends
 * at end of input.
 */
public final class MockApiProcess implements AutoCloseable {
  private final Process process;
  private final BufferedReader out;
  private final PrintStream in;
  private final String url;

  private MockApiProcess(Process process) throws IOException {
    this.process = process;
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    String line = out.readLine();
    if (line == null || !line.startsWith("url ")) {
      process.destroyForcibly();
      throw new IOException("the mock API server did not start: " + line);
    }
    this.url = line.substring(4);
  }

  /** Starts the mock in a new JVM on this JVM's class path; waits until it listens. */
  static MockApiProcess start() throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(List.of(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"),
        MockApiProcess.class.getName())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    return new MockApiProcess(p);
  }

  /** The server's base URL. */
  String url() {
    return url;
  }

  /** {@return {requests, writes} the server received since it started} */
  long[] count() throws IOException {
    in.println("count");
    String[] parts = out.readLine().trim().split(" ");
    return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
  }

  @Override
  public void close() {
    in.close();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The server process: see the class comment. */
  public static void main(String[] args) throws Exception {
    Logger.getLogger("io.fabric8.mockwebserver").setLevel(Level.WARNING);
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(),
        new HashMap<>(), new KubernetesCrudDispatcher(), false);
    server.init();
    System.out.println("url " + server.url("/"));
    System.out.flush();
    long writes = 0;
    int taken = 0;
    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = stdin.readLine()) != null; ) {
      if (line.trim().equals("count")) {
        int now = server.getRequestCount();
        for (; taken < now; taken++) {
          var r = server.takeRequest(10, java.util.concurrent.TimeUnit.SECONDS);
          if (r != null && !"GET".equals(r.getMethod())) {
            writes++;
          }
        }
        System.out.println(now + " " + writes);
        System.out.flush();
      }
    }
    server.destroy();
  }
}
