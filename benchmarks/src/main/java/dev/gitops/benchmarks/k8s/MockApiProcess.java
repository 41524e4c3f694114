package dev.gitops.benchmarks.k8s;

import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;

/**
 * fabric8's mock API server (CRUD mode) in a process of its own, so that what a benchmark measures
 * in its own JVM (heap, CPU) is the client's. Prints {@code url <url>} once listening; then answers
 * each line {@code count} on standard input with {@code <requests> <writes> <idle ns> <idle ns before the
 * first POST>} since start (idle: no request in the dispatcher), each line {@code paths} with one line
 * {@code <requests> <response bytes> <dispatch CPU ns> <request bytes> <METHOD> <path shape>} per shape
 * of request since start (names and namespaces as {@code *}, query keys only; the CPU time of the
 * thread that dispatched them, the watch events it sent included) and a line {@code end},
 * each line {@code creates} with one line {@code <path> <body>} per POST received since start (the
 * bodies as sent, on one line) and a line {@code end}, each line {@code reset} with {@code url <url>} of
 * an empty server in its place (counting starts again), and ends at end of input. With the system
 * property {@code mock.jfr} set to a folder (pass {@code -Dfleet.mock.jvm=-Dmock.jfr=DIR}), each
 * server's life is a flight recording of its own ({@code DIR/server-<pid>-N.jfr}, N from 0, settings
 * {@code profile}), so that the phases a benchmark runs one after another on one mock JVM (warm-ups,
 * floors, the fleet) are profiled apart.
 */
public final class MockApiProcess implements AutoCloseable {
  private final Process process;
  private final BufferedReader out;
  private final PrintStream in;
  private String url;

  private MockApiProcess(Process process) throws IOException {
    this.process = process;
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    String line = out.readLine();
    for (int skipped = 0; line != null && !line.startsWith("url ") && skipped < 20; skipped++) {
      line = out.readLine(); // what the JVM options print first (a flight recording's settings)
    }
    if (line == null || !line.startsWith("url ")) {
      process.destroyForcibly();
      throw new IOException("the mock API server did not start: " + line);
    }
    this.url = line.substring(4);
  }

  /**
   * Starts the mock in a new JVM on this JVM's class path, with the JVM options in the system
   * property {@code fleet.mock.jvm} (space-separated) if set; waits until it listens.
   */
  static MockApiProcess start() throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new java.util.ArrayList<>();
    String cpus = System.getProperty("fleet.mock.cpus", ""); // e.g. 0: the mock on a CPU of its own
    if (!cpus.isBlank()) {
      command.addAll(List.of("taskset", "-c", cpus.trim())); // taskset execs java: the same pid
    }
    command.addAll(List.of(java, "-Xmx2g"));
    String extra = System.getProperty("fleet.mock.jvm", ""); // e.g. a flight recording of the mock
    if (!extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), MockApiProcess.class.getName()));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    return new MockApiProcess(p);
  }

  /** The server's base URL. */
  String url() {
    return url;
  }

  /**
   * Replaces the server by an empty one in the same JVM (a new port; what was counted starts again),
   * so that runs measured one after another meet the same compiled server code: a fresh mock JVM's
   * cost per create differs from the next one's by up to 2.5x (its JIT).
   */
  void reset() throws IOException {
    in.println("reset");
    String line = out.readLine();
    if (line == null || !line.startsWith("url ")) {
      throw new IOException("the mock API server did not restart: " + line);
    }
    url = line.substring(4);
  }

  /**
   * {@return {requests, writes, idle ns, idle ns before the first POST} since the server started: what
   * it received, and how long no request was in its dispatcher (neither dispatched nor waiting for its
   * lock), in all and before the first create arrived}
   */
  long[] count() throws IOException {
    in.println("count");
    String[] parts = out.readLine().trim().split(" ");
    return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]),
        Long.parseLong(parts[3])};
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

  /** {@return the CPU time of the server process's JIT compiler threads so far, in ms; -1 when unknown} */
  long jitMillis() {
    return JitCpu.millis(process.pid());
  }

  /** {@return the CPU time (user + system) the server process used so far, in ms; -1 when unknown} */
  long cpuMillis() {
    return process.info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
  }

  /**
   * {@return one line per request shape since start: {@code <requests> <response bytes> <dispatch CPU ns>
   * <request bytes> <METHOD> <shape>}}
   */
  List<String> paths() throws IOException {
    in.println("paths");
    List<String> lines = new java.util.ArrayList<>();
    for (String line = out.readLine(); line != null && !line.equals("end"); line = out.readLine()) {
      lines.add(line);
    }
    return lines;
  }

  /**
   * The shape of a request: its method and path, with object names and namespaces replaced by a
   * star and query values dropped (keys kept).
   */
  static String shape(String method, String path) {
    int q = path.indexOf('?');
    StringBuilder query = new StringBuilder();
    if (q >= 0) {
      for (String p : path.substring(q + 1).split("&")) {
        query.append(query.length() == 0 ? "?" : "&").append(p.split("=", 2)[0]);
      }
      path = path.substring(0, q);
    }
    String[] parts = path.split("/");
    int resource = parts.length > 1 && "api".equals(parts[1]) ? 3 : 4; // after /api/v1 or /apis/g/v
    StringBuilder out = new StringBuilder(method).append(' ');
    for (int i = 1; i < parts.length; i++) {
      if (i == resource && "namespaces".equals(parts[i]) && i + 1 < parts.length) {
        out.append("/namespaces/*");
        resource += 2;
        i++;
      } else {
        out.append('/').append(i > resource && i == resource + 1 ? "*" : parts[i]);
      }
    }
    return out.append(query).toString();
  }

  /** {@return every POST the server received since start, as {path, body}, in order} */
  List<String[]> creates() throws IOException {
    in.println("creates");
    List<String[]> out = new java.util.ArrayList<>();
    for (String line = this.out.readLine(); line != null && !line.equals("end"); line = this.out.readLine()) {
      int space = line.indexOf(' ');
      out.add(new String[] {line.substring(0, space), line.substring(space + 1)});
    }
    return out;
  }

  /** The server process: see the class comment. */
  public static void main(String[] args) throws Exception {
    Server server = new Server(0);
    System.out.println("url " + server.mock.server().url("/"));
    System.out.flush();
    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = stdin.readLine()) != null; ) {
      List<String> seen = server.mock.requests();
      server.requests += seen.size();
      server.writes += MockKubernetes.writes(seen).size();
      switch (line.trim()) {
        case "creates" -> {
          synchronized (server.posts) {
            server.posts.forEach(System.out::println);
          }
          System.out.println("end");
        }
        case "count" -> System.out.println(server.requests + " " + server.writes + " " + server.idle.nanos() + " "
            + server.idle.beforeFirstPost());
        case "paths" -> {
          new java.util.TreeMap<>(server.shapes).forEach((k, c) -> {
            synchronized (c) {
              System.out.println(c[0] + " " + c[1] + " " + c[2] + " " + c[3] + " " + k);
            }
          });
          System.out.println("end");
        }
        case "reset" -> { // an empty server in this JVM, whose compiled code stays
          server.close();
          server = new Server(server.index + 1);
          System.out.println("url " + server.mock.server().url("/"));
        }
        default -> System.out.println("unknown command: " + line);
      }
      System.out.flush();
    }
    server.close();
  }

  /**
   * How long the server had no request in its dispatcher (neither dispatched nor waiting for the
   * dispatcher's lock), in ns since it started: the time its clients left it idle.
   */
  private static final class Idle {
    private int inside;
    private long since = System.nanoTime();
    private long idle;
    private long beforeFirstPost = -1;

    synchronized void enter(String method) {
      if (inside++ == 0) {
        idle += System.nanoTime() - since;
      }
      if (beforeFirstPost < 0 && "POST".equals(method)) {
        beforeFirstPost = idle;
      }
    }

    synchronized void exit() {
      if (--inside == 0) {
        since = System.nanoTime();
      }
    }

    synchronized long nanos() {
      return idle + (inside == 0 ? System.nanoTime() - since : 0);
    }

    /** The idle time before the first POST arrived, or all of it so far when none has. */
    synchronized long beforeFirstPost() {
      return beforeFirstPost >= 0 ? beforeFirstPost : nanos();
    }
  }

  /** One empty CRUD server and what it counts: see the class comment. */
  private static final class Server {
    final java.util.Map<String, long[]> shapes = new java.util.concurrent.ConcurrentHashMap<>();
    final List<String> posts = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    final MockKubernetes mock;
    final int index;
    final Idle idle = new Idle();
    private final jdk.jfr.Recording recording;
    long requests;
    long writes;

    Server(int index) throws IOException, java.text.ParseException {
      this.index = index;
      String jfr = System.getProperty("mock.jfr");
      recording = jfr == null ? null : new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
      if (recording != null) {
        String name = "server-" + ProcessHandle.current().pid() + "-" + index + ".jfr";
        recording.setDestination(java.nio.file.Path.of(jfr, name));
        recording.start();
      }
      java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
      mock = MockKubernetes.crud(new KubernetesCrudDispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          idle.enter(request.getMethod());
          long cpu0 = threads.getCurrentThreadCpuTime();
          long sent = request.getBody() == null ? 0 : request.getBody().size(); // before the dispatch reads it
          if ("POST".equals(request.getMethod())) { // the body as sent (getBytes does not consume it)
            posts.add(request.getPath() + " "
                + new String(request.getBody().getBytes(), StandardCharsets.UTF_8).replace('\n', ' '));
          }
          MockResponse response = super.dispatch(request);
          long cpu = threads.getCurrentThreadCpuTime() - cpu0; // the lock's wait is not CPU
          long bytes = response == null || response.getBody() == null ? 0 : response.getBody().size();
          long[] c = shapes.computeIfAbsent(shape(request.getMethod(), request.getPath()), k -> new long[4]);
          synchronized (c) {
            c[0]++;
            c[1] += bytes;
            c[2] += cpu;
            c[3] += sent;
          }
          idle.exit();
          return response;
        }
      });
    }

    /** Stops the server, and writes its flight recording if one runs. */
    void close() {
      mock.close();
      if (recording != null) {
        recording.stop(); // written to its destination
        recording.close();
      }
    }
  }
}
