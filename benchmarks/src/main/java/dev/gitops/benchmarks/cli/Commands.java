package dev.gitops.benchmarks.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whole processes timed from start to exit, the way a shell or a CI job runs them: the JVM of this
 * benchmark for {@code java -jar} and the launcher alike, a private cache and config directory
 * ({@code XDG_CACHE_HOME}, {@code XDG_CONFIG_HOME}: the Git cache, the launcher's class-data archive
 * and the redaction key never touch the user's), output kept in a file and shown when a run fails.
 */
final class Commands {
  private final Path work;
  private final Map<String, String> env;
  private int runs;

  /**
   * @param work where the output files go
   * @param env variables added to every process's environment
   */
  Commands(Path work, Map<String, String> env) {
    this.work = work;
    this.env = Map.copyOf(env);
  }

  /** The JVM running this benchmark: every {@code java} started here is the same one. */
  static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /**
   * Runs {@code command} to its end.
   *
   * @param expectedExit the exit code that means success (plan's {@code --detailed-exitcode}: 0, no change)
   * @param command the argument vector, never a shell line
   * @return the wall time in milliseconds, from start to exit
   * @throws IOException when the process cannot start or exits with another code (its output included)
   */
  double time(int expectedExit, List<String> command) throws IOException, InterruptedException {
    Path out = work.resolve("run-" + (++runs) + ".out");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().putAll(env);
    long start = System.nanoTime();
    Process p = pb.start();
    int rc = p.waitFor();
    double ms = (System.nanoTime() - start) / 1e6;
    if (rc != expectedExit) {
      throw new IOException(String.join(" ", command) + ": exit " + rc + " (wanted " + expectedExit + "):\n"
          + Files.readString(out, StandardCharsets.UTF_8));
    }
    Files.delete(out);
    return ms;
  }

  /** {@code java -jar JAR args...} with this benchmark's JVM. */
  static List<String> javaJar(Path jar, List<String> args) {
    List<String> c = new ArrayList<>(List.of(java(), "-jar", jar.toString()));
    c.addAll(args);
    return c;
  }

  /** {@code LAUNCHER args...} (the environment names the jar and the JVM: {@code GITOPS_JAR}, {@code JAVA}). */
  static List<String> launcher(Path launcher, List<String> args) {
    List<String> c = new ArrayList<>(List.of(launcher.toString()));
    c.addAll(args);
    return c;
  }

  /** The median of {@code xs}. */
  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
