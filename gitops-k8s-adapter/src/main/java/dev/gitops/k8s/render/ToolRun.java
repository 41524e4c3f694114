package dev.gitops.k8s.render;

import dev.gitops.model.ResourceId;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one external tool: an argument vector (never a shell), a working directory, exactly the
 * environment given (and {@value ProcessTree#VARIABLE}, which marks the run's processes), stdin empty,
 * stdout read up to a limit, the start of stderr kept in memory. Every process of the run (the tool,
 * its descendants, and those that left its tree: {@link ProcessTree}) is stopped when the tool exits,
 * fails or times out, and no wait, nor the read of an output a leftover process holds open, lasts
 * past the timeout.
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
   * @throws RenderException when it cannot start, runs past {@code timeout} or prints more than
   *     {@code maxOutput} bytes on stdout or on stderr
   */
  static Result run(String tool, String hint, List<String> argv, Path dir, Map<String, String> env,
                    Duration timeout, long maxOutput) {
    return run(tool, hint, argv, dir, env, timeout, maxOutput, () -> { });
  }

  /**
   * As {@link #run(String, String, List, Path, Map, Duration, long)}, doing {@code meanwhile}
   * on the calling thread once the tool started, before its output is read (work that does not need
   * the output costs no time then: the tool computes meanwhile). What {@code meanwhile} throws stops
   * the tool and is thrown.
   */
  static Result run(String tool, String hint, List<String> argv, Path dir, Map<String, String> env,
                    Duration timeout, long maxOutput, Runnable meanwhile) {
    long deadline = System.nanoTime() + timeout.toNanos();
    ProcessTree tree = new ProcessTree();
    ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.environment().put(ProcessTree.VARIABLE, tree.id());
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new RenderException(tool + " could not be started (" + ResourceId.escape(argv.get(0)) + "): "
          + said(e) + ". " + hint, e);
    }
    Stderr err = new Stderr(process, maxOutput, tree);
    Stdout out = new Stdout(process, maxOutput, tree);
    try {
      meanwhile.run();
      boolean exited = process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      tree.stop(process); // what it left running goes with it: a background child may hold stdout open
      if (out.overflowed()) {
        throw tooMuch(tool, "", maxOutput);
      }
      if (!exited) {
        throw new RenderException(tool + " did not finish within " + timeout.toMillis()
            + " ms: stopped (raise the timeout if the render is meant to take this long)");
      }
      // at most the rest of the timeout, and a moment to take what the pipe already holds
      if (!out.await(Math.max(TimeUnit.MILLISECONDS.toNanos(200), deadline - System.nanoTime()))) {
        throw new RenderException(tool + " exited, but a process it started kept its output open past the "
            + timeout.toMillis() + " ms timeout: stopped what could be found (a render must not leave processes)");
      }
      byte[] bytes = out.bytes();
      if (bytes == null) {
        throw tooMuch(tool, "", maxOutput);
      }
      String stderr = err.text();
      if (err.overflowed()) {
        throw tooMuch(tool, " on stderr", maxOutput);
      }
      return new Result(bytes, stderr, process.exitValue());
    } catch (IOException e) {
      throw new RenderException(tool + ": reading its output failed: " + said(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RenderException(tool + ": interrupted", e);
    } finally {
      tree.stop(process);
    }
  }

  private static RenderException tooMuch(String tool, String where, long maxOutput) {
    return new RenderException(tool + " printed more than " + maxOutput + " bytes" + where
        + ": stopped (raise the output limit if the output is meant to be this large)");
  }

  /**
   * {@code stderr} fit to quote in a message: every character a terminal could act on escaped
   * ({@link ResourceId#escape}: a tool echoes what the repository holds, names and contents alike).
   */
  static String shown(String stderr) {
    return ResourceId.escape(stderr.strip());
  }

  /**
   * {@code e}'s message fit to quote in a message, escaped as {@link #shown} escapes stderr: an I/O
   * failure names the paths it failed on ({@code Cannot run program "kubectl" (in directory
   * "/tmp/gitops-render-1/repo/apps/web")}), which hold what the repository names.
   */
  static String said(Exception e) {
    return ResourceId.escape(String.valueOf(e.getMessage()));
  }

  /**
   * Stderr, drained as the tool writes it on a thread of its own (a tool blocked on a full stderr
   * pipe would never finish its stdout): the first {@value #STDERR_LIMIT} bytes kept, the rest
   * counted and dropped, the tool stopped once the count passes the output limit. Nothing is written
   * to disk, so a tool that prints gigabytes on stderr fills neither memory nor a file system.
   */
  private static final class Stderr {
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final Thread thread;
    private volatile boolean overflowed;

    Stderr(Process process, long max, ProcessTree tree) {
      thread = new Thread(() -> drain(process, max, tree), "gitops-render-stderr");
      thread.setDaemon(true);
      thread.start();
    }

    private void drain(Process process, long max, ProcessTree tree) {
      byte[] buf = new byte[8192];
      long total = 0;
      try (InputStream in = process.getErrorStream()) {
        for (int n; (n = in.read(buf)) >= 0; ) {
          synchronized (kept) {
            kept.write(buf, 0, (int) Math.max(0, Math.min(n, STDERR_LIMIT - kept.size())));
          }
          total += n;
          if (total > max) {
            overflowed = true;
            tree.stop(process);
            return;
          }
        }
      } catch (IOException e) {
        // the stream closes when the tool is stopped: what was read is kept
      }
    }

    boolean overflowed() {
      return overflowed;
    }

    /** What was kept, once the tool closed its stderr (at most a few seconds after it exited). */
    String text() throws InterruptedException {
      thread.join(TimeUnit.SECONDS.toMillis(5)); // a descendant that kept stderr open is not waited for
      synchronized (kept) {
        return kept.toString(StandardCharsets.UTF_8);
      }
    }
  }

  /**
   * Stdout, read on a thread of its own so that no read outlasts the timeout: a process the tool
   * left behind can hold the pipe open after the tool exited. Read in chunks and copied once at the
   * end: a growing buffer would copy a large output (5.7 MB for kube-prometheus) several times over.
   * Past the limit the tool is stopped and the bytes are dropped.
   */
  private static final class Stdout {
    private final CompletableFuture<byte[]> read = new CompletableFuture<>();
    private volatile boolean overflowed;

    Stdout(Process process, long max, ProcessTree tree) {
      Thread thread = new Thread(() -> {
        try {
          byte[] bytes = readLimited(process, max);
          if (bytes == null) {
            overflowed = true;
            tree.stop(process);
          }
          read.complete(bytes);
        } catch (IOException | RuntimeException e) {
          read.completeExceptionally(e);
        }
      }, "gitops-render-stdout");
      thread.setDaemon(true);
      thread.start();
    }

    boolean overflowed() {
      return overflowed;
    }

    /** Whether the output was read to its end (or past the limit) within {@code nanos}. */
    boolean await(long nanos) throws InterruptedException {
      try {
        read.get(nanos, TimeUnit.NANOSECONDS);
        return true;
      } catch (TimeoutException e) {
        return false;
      } catch (ExecutionException e) {
        return true;
      }
    }

    /** What was read, or null past the limit; call once {@link #await} said done. */
    byte[] bytes() throws IOException {
      try {
        return read.getNow(null);
      } catch (CompletionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw e;
      }
    }
  }

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

}
