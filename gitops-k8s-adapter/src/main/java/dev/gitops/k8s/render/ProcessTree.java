package dev.gitops.k8s.render;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Every process one tool run started, to stop them all: its process, that process's descendants,
 * and the processes that left the tree when their parent exited (a {@code cmd &} of a script that
 * then ends, a daemon's double fork, {@code setsid}). Those are reparented to init, so
 * {@link ProcessHandle#descendants()} no longer finds them; they are found by a variable
 * {@value #VARIABLE} in the environment each inherited, unique to the run, read from
 * {@code /proc/PID/environ} (Linux; elsewhere only the descendants are found). A process that
 * execs with a cleared environment escapes that search: a render tool is not a sandbox.
 */
final class ProcessTree {
  /** The variable marking every process of one run. */
  static final String VARIABLE = "GITOPS_RENDER_RUN";
  private static final Path PROC = Path.of("/proc");
  /** Rounds of search and kill: a process forking while it is stopped gets a few more. */
  private static final int ROUNDS = 8;

  private final String id = UUID.randomUUID().toString();
  private final byte[] mark = (VARIABLE + "=" + id + "\0").getBytes(StandardCharsets.US_ASCII);

  /** The value of {@value #VARIABLE} to put into the tool's environment. */
  String id() {
    return id;
  }

  /**
   * Kills (SIGKILL) {@code process}, its descendants and every process carrying this run's mark,
   * until none is left or a few rounds passed, waiting at most a second a round for them to go
   * (so never more than {@value #ROUNDS} seconds).
   */
  void stop(Process process) {
    for (int round = 0; round < ROUNDS; round++) {
      List<ProcessHandle> found = found(process);
      if (found.isEmpty()) {
        return;
      }
      found.forEach(ProcessHandle::destroyForcibly);
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      for (ProcessHandle h : found) {
        try {
          h.onExit().get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
          // a zombie nobody reaps yet, or interrupted: its environment is gone, the next round sees
        }
      }
    }
  }

  private List<ProcessHandle> found(Process process) {
    List<ProcessHandle> found = new ArrayList<>();
    if (process.isAlive()) {
      found.add(process.toHandle());
    }
    process.descendants().forEach(found::add);
    for (ProcessHandle marked : marked()) {
      found.add(marked);
      marked.descendants().forEach(found::add);
    }
    return found;
  }

  /** The live processes of this user whose environment holds the mark. */
  private List<ProcessHandle> marked() {
    List<ProcessHandle> marked = new ArrayList<>();
    if (!Files.isDirectory(PROC)) {
      return marked;
    }
    long self = ProcessHandle.current().pid();
    try (DirectoryStream<Path> pids = Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName().toString()))) {
      for (Path dir : pids) {
        long pid = Long.parseLong(dir.getFileName().toString());
        if (pid != self && carriesMark(dir.resolve("environ"))) {
          Optional<ProcessHandle> h = ProcessHandle.of(pid);
          h.filter(ProcessHandle::isAlive).ifPresent(marked::add);
        }
      }
    } catch (IOException | RuntimeException e) {
      // /proc unreadable: only the descendants are stopped
    }
    return marked;
  }

  private boolean carriesMark(Path environ) {
    byte[] env;
    try {
      env = Files.readAllBytes(environ); // a few KB; another user's, or a process gone, cannot be read
    } catch (IOException | RuntimeException e) {
      return false;
    }
    outer:
    for (int i = 0; i + mark.length <= env.length; i++) {
      if (i > 0 && env[i - 1] != 0) {
        continue;
      }
      for (int j = 0; j < mark.length; j++) {
        if (env[i + j] != mark[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static boolean isNumber(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }
}
