package dev.gitops.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The processes one local command run started, to stop them once it ended: its descendants, and those
 * that left its tree (a {@code cmd &} of a script that then exits, {@code setsid}, a daemon's double
 * fork), which are reparented and no longer its descendants. Those are found by a variable
 * {@value #VARIABLE}, unique to the run, that each inherited in its environment, read from
 * {@code /proc/PID/environ} (Linux; elsewhere only descendants are found). A process that clears its
 * environment escapes. The k8s adapter's render runs do the same ({@code ProcessTree}); adapters share
 * no code but core's public API. Not part of the public API.
 */
final class LeftProcesses {
  /** The variable marking every process of one run. */
  static final String VARIABLE = "GITOPS_HOST_RUN";
  private static final Path PROC = Path.of("/proc");
  /** Rounds of search and kill: a process that forks while it is stopped gets a few more. */
  private static final int ROUNDS = 8;

  private final String id = UUID.randomUUID().toString();
  private final byte[] entry = (VARIABLE + "=" + id).getBytes(StandardCharsets.US_ASCII);

  /** Puts the run's mark into the environment of the process {@code builder} starts. */
  ProcessBuilder marking(ProcessBuilder builder) {
    builder.environment().put(VARIABLE, id);
    return builder;
  }

  /**
   * Kills (SIGKILL) {@code process}, its descendants and every process carrying this run's mark, in
   * rounds until none is found, waiting at most a second a round for them to go (so at most
   * {@value #ROUNDS} seconds in all).
   */
  void stop(Process process) {
    for (int round = 0; round < ROUNDS; round++) {
      List<ProcessHandle> found = new ArrayList<>();
      if (process.isAlive()) {
        found.add(process.toHandle());
      }
      process.descendants().forEach(found::add);
      for (ProcessHandle h : marked()) {
        found.add(h);
        h.descendants().forEach(found::add);
      }
      if (found.isEmpty()) {
        return;
      }
      found.forEach(ProcessHandle::destroyForcibly);
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      for (ProcessHandle h : found) {
        try {
          h.onExit().get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
          // a zombie nobody reaps, or interrupted: its environment is gone, the next round sees
        }
      }
    }
  }

  /** The live processes whose environment holds the mark (only this user's can be read). */
  private List<ProcessHandle> marked() {
    List<ProcessHandle> marked = new ArrayList<>();
    if (!Files.isDirectory(PROC)) {
      return marked;
    }
    long self = ProcessHandle.current().pid();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName().toString()))) {
      for (Path dir : dirs) {
        long pid = Long.parseLong(dir.getFileName().toString());
        if (pid != self && carriesMark(dir.resolve("environ"))) {
          ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(marked::add);
        }
      }
    } catch (IOException | RuntimeException e) {
      // /proc unreadable: descendants only
    }
    return marked;
  }

  /** Whether the NUL-separated environment holds the mark as one whole entry. */
  private boolean carriesMark(Path environ) {
    byte[] env;
    try {
      env = Files.readAllBytes(environ);
    } catch (IOException | RuntimeException e) {
      return false; // gone, a zombie's, or another user's
    }
    for (int at = 0; at < env.length; ) {
      int end = at;
      while (end < env.length && env[end] != 0) {
        end++;
      }
      if (Arrays.equals(env, at, end, entry, 0, entry.length)) {
        return true;
      }
      at = end + 1;
    }
    return false;
  }

  private static boolean isNumber(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }
}
