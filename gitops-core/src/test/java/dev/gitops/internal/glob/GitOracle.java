package dev.gitops.internal.glob;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code git} as the oracle of a test ({@code GitignoreOracleIT}, {@code GitAttributesOracleIT}):
 * runs it with this machine's system and global config, attribute and ignore files hidden, so that only
 * what a test writes counts, its standard input given, its output and error output kept in temporary
 * files (so that no pipe can hold it up), and each call bounded at 30 s. Thread-safe.
 */
public final class GitOracle {
  private static final long TIMEOUT_SECONDS = 30;

  private GitOracle() {}

  /** What one call gave: its exit status, standard output and error output. */
  public record Result(int exit, byte[] stdout, String stderr) {
    /** {@return this result; fails the test, showing the error output, unless the exit status is 0} */
    public Result checked() {
      assertEquals(0, exit, stderr);
      return this;
    }
  }

  /** The choices again and again (0 when none): a generated example reads as many as it needs, so that a list the shrinker shortened still serves. */
  public static Iterator<Integer> cycle(List<Integer> choices) {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Integer next() {
        return choices.isEmpty() ? 0 : choices.get(next++ % choices.size());
      }
    };
  }

  /** {@return true when {@code git} runs on this machine} */
  public static boolean installed() {
    try {
      return run(null, null, "--version").exit() == 0;
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  /**
   * Runs {@code git args} in {@code dir} (null: here), {@code stdin} (null: none) as its standard input.
   *
   * @throws UncheckedIOException when it cannot start, or does not end within 30 s (it is then killed)
   */
  public static Result run(Path dir, byte[] stdin, String... args) {
    List<String> argv = new ArrayList<>(List.of("git"));
    argv.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(argv);
    if (dir != null) {
      builder.directory(dir.toFile());
    }
    Map<String, String> env = builder.environment();
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_ATTR_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", "/dev/null");
    env.put("XDG_CONFIG_HOME", "/nonexistent");
    env.put("HOME", "/nonexistent");
    try {
      Path out = Files.createTempFile("git-oracle", ".out");
      Path err = Files.createTempFile("git-oracle", ".err");
      try {
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        if (stdin != null) {
          process.getOutputStream().write(stdin);
        }
        process.getOutputStream().close();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IOException(argv + " did not end within " + TIMEOUT_SECONDS + " s");
        }
        return new Result(process.exitValue(), Files.readAllBytes(out), new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
      } finally {
        Files.delete(out);
        Files.delete(err);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException(e));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
