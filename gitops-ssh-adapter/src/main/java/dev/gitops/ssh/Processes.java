package dev.gitops.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Local processes run for a {@link Host}: {@link LocalHost}'s commands and {@link SystemSshHost}'s
 * {@code ssh} clients, with one discipline. Not part of the public API.
 */
final class Processes {
  private Processes() {}

  /**
   * Runs {@code argv} with its output going to temporary files (so that a process it leaves running
   * with those streams open never holds this call up), {@code stdin} written then closed. When
   * {@code timeout} runs out, the command and every process it started that is still its descendant
   * are killed, then {@link Host.CommandTimeoutException} is thrown, naming {@code what}.
   */
  public static Host.Result run(List<String> argv, byte[] stdin, Duration timeout, String what) throws IOException {
    return run(argv, stdin, timeout, what, Integer.MAX_VALUE);
  }

  /**
   * As {@link #run(List, byte[], Duration, String)}, returning of each output stream its last
   * {@code keep} bytes, read from the end of its file: memory holds no more whatever it printed.
   */
  public static Host.Result run(List<String> argv, byte[] stdin, Duration timeout, String what, int keep)
      throws IOException {
    return run(argv, new byte[0], stdin, timeout, what, keep);
  }

  /** As {@link #run(List, byte[], Duration, String, int)}, {@code head} written to standard input ahead of {@code stdin}. */
  public static Host.Result run(List<String> argv, byte[] head, byte[] stdin, Duration timeout, String what, int keep)
      throws IOException {
    return run(argv, head, stdin, timeout, what, keep, false);
  }

  /**
   * As {@link #run(List, byte[], Duration, String, int)}, and once the command ended, every process
   * it left is stopped, those that left its tree too ({@link LeftProcesses}): a command of
   * {@link LocalHost} leaves nothing running. (Not for {@code ssh}: one may start the shared
   * connection's master, which is meant to outlive it.)
   */
  public static Host.Result runLeavingNothing(List<String> argv, byte[] stdin, Duration timeout, String what, int keep)
      throws IOException {
    return run(argv, new byte[0], stdin, timeout, what, keep, true);
  }

  private static Host.Result run(List<String> argv, byte[] head, byte[] stdin, Duration timeout, String what, int keep,
                                 boolean leaveNothing) throws IOException {
    Path out = Files.createTempFile("gitops-exec", ".out");
    Path err = Files.createTempFile("gitops-exec", ".err");
    try {
      LeftProcesses left = new LeftProcesses();
      ProcessBuilder builder = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile());
      Process process = (leaveNothing ? left.marking(builder) : builder).start();
      try {
        return await(process, head, stdin, timeout, what, keep, out, err);
      } finally {
        if (leaveNothing) {
          left.stop(process);
        }
      }
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Feeds {@code process} its input, waits for it at most {@code timeout}, and reads its outputs' tails. */
  private static Host.Result await(Process process, byte[] head, byte[] stdin, Duration timeout, String what, int keep,
                                   Path out, Path err) throws IOException {
    CompletableFuture.runAsync(() -> {
      try (OutputStream in = process.getOutputStream()) {
        in.write(head);
        in.write(stdin);
      } catch (IOException e) {
        // the command closed its input early; what it printed tells why
      }
    });
    try {
      if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        kill(process);
        throw new Host.CommandTimeoutException(what + " did not end within " + timeout
            + ": ended it and what it started");
      }
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while running " + what);
    }
    return new Host.Result(process.exitValue(), tail(out, keep), tail(err, keep));
  }

  /**
   * Whether {@code program} can be run: an executable file when it names a path, else one on
   * {@code PATH}.
   */
  static boolean runnable(String program) {
    if (program.contains("/")) {
      return Files.isExecutable(Path.of(program));
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  /** The last {@code keep} bytes of {@code data}, {@code data} itself when it is no longer. */
  static byte[] tail(byte[] data, int keep) {
    return data.length <= keep ? data : Arrays.copyOfRange(data, data.length - keep, data.length);
  }

  /** The last {@code keep} bytes of the file, read from there. */
  private static byte[] tail(Path file, int keep) throws IOException {
    try (SeekableByteChannel in = Files.newByteChannel(file)) {
      long from = Math.max(0, in.size() - keep);
      in.position(from);
      return Channels.newInputStream(in).readAllBytes();
    }
  }

  /** Kills the process and its descendants, children first, and waits for the process. */
  private static void kill(Process process) {
    process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts {@code argv} as a long-running helper, standard error discarded; closing the channel ends it. */
  public static Host.Channel start(List<String> argv) throws IOException {
    return start(argv, new byte[0], () -> { });
  }

  /**
   * As {@link #start(List)}, {@code head} written to its standard input first; {@code ended} runs once
   * the process of the returned channel has ended (closed, or by itself), never when this throws.
   */
  public static Host.Channel start(List<String> argv, byte[] head, Runnable ended) throws IOException {
    Process process = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      process.getOutputStream().write(head);
      process.getOutputStream().flush();
    } catch (IOException e) {
      process.destroy();
      throw e;
    }
    process.onExit().thenRun(ended);
    return new Host.Channel() {
      @Override public OutputStream stdin() { return process.getOutputStream(); }
      @Override public InputStream stdout() { return process.getInputStream(); }
      @Override public boolean isOpen() { return process.isAlive(); }
      @Override public void close() { process.destroy(); }
    };
  }
}
