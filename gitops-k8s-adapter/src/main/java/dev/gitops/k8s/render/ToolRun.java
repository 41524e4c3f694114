package dev.gitops.k8s.render;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one external tool: an argument vector (never a shell), a working directory, exactly the
 * environment given, stdin empty, stdout read up to a limit, stderr kept in a file, the whole process
 * tree stopped at the timeout.
 */
final class ToolRun {
  /** How much of stderr a message quotes at most. */
  private static final int STDERR_LIMIT = 64 * 1024;
  /** How much of stdout one read takes at most. */
  private static final int CHUNK = 256 * 1024;

  /**
   * What a finished run left.
   *
   * @param stdout everything it printed on stdout
   * @param stderr the start of what it printed on stderr
   * @param exit its exit status
   */
  record Result(byte[] stdout, String stderr, int exit) {}

  private ToolRun() {}

  /**
   * Runs {@code argv} in {@code dir}.
   *
   * @param tool the tool's name for messages ({@code kubectl kustomize}, {@code helm})
   * @param hint what to do when the tool cannot be started, appended to that message
   * @param scratch a private directory for stderr, outside what the tool reads
   * @throws RenderException when it cannot start, runs past {@code timeout} or prints more than
   *     {@code maxOutput} bytes
   */
  static Result run(String tool, String hint, List<String> argv, Path dir, Map<String, String> env,
                    Duration timeout, long maxOutput, Path scratch) {
    return run(tool, hint, argv, dir, env, timeout, maxOutput, scratch, () -> { });
  }

  /**
   * As {@link #run(String, String, List, Path, Map, Duration, long, Path)}, doing {@code meanwhile}
   * on the calling thread once the tool started, before its output is read (work that does not need
   * the output costs no time then: the tool computes meanwhile). What {@code meanwhile} throws stops
   * the tool and is thrown.
   */
  static Result run(String tool, String hint, List<String> argv, Path dir, Map<String, String> env,
                    Duration timeout, long maxOutput, Path scratch, Runnable meanwhile) {
    Path errFile = scratch.resolve("stderr-" + System.nanoTime());
    ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectError(errFile.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new RenderException(tool + " could not be started (" + argv.get(0) + "): "
          + e.getMessage() + ". " + hint, e);
    }
    AtomicBoolean done = new AtomicBoolean();
    AtomicBoolean timedOut = new AtomicBoolean();
    CompletableFuture.delayedExecutor(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS).execute(() -> {
      if (!done.get() && process.isAlive()) {
        timedOut.set(true);
        stop(process);
      }
    });
    try {
      meanwhile.run();
      byte[] out = readLimited(process, maxOutput);
      if (out == null) {
        stop(process);
        throw new RenderException(tool + " printed more than " + maxOutput
            + " bytes: stopped (raise the output limit if the output is meant to be this large)");
      }
      int exit = process.waitFor();
      if (timedOut.get()) {
        throw new RenderException(tool + " did not finish within " + timeout.toMillis()
            + " ms: stopped (raise the timeout if the render is meant to take this long)");
      }
      return new Result(out, stderr(errFile), exit);
    } catch (IOException e) {
      throw new RenderException(tool + ": reading its output failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(process);
      throw new RenderException(tool + ": interrupted", e);
    } finally {
      done.set(true);
      if (process.isAlive()) {
        stop(process);
      }
    }
  }

  /**
   * Stdout, or null when it passed {@code max} bytes. Read in chunks and copied once at the end: a
   * growing buffer would copy a large output (5.7 MB for kube-prometheus) several times over.
   */
  private static byte[] readLimited(Process process, long max) throws IOException {
    long limit = Math.min(max, Integer.MAX_VALUE - 8); // past that, no array holds it
    List<byte[]> chunks = new ArrayList<>();
    long total = 0;
    try (InputStream in = process.getInputStream()) {
      while (true) {
        byte[] chunk = in.readNBytes(CHUNK);
        if (total + chunk.length > limit) {
          return null;
        }
        total += chunk.length;
        if (chunk.length > 0) {
          chunks.add(chunk);
        }
        if (chunk.length < CHUNK) {
          break;
        }
      }
    }
    byte[] out = new byte[(int) total];
    int at = 0;
    for (byte[] c : chunks) {
      System.arraycopy(c, 0, out, at, c.length);
      at += c.length;
    }
    return out;
  }

  private static void stop(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private static String stderr(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int n = Math.min(bytes.length, STDERR_LIMIT);
    return new String(bytes, 0, n, StandardCharsets.UTF_8);
  }
}
