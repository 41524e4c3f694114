package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AttributeStack} (with {@link AttributeLines}, {@link AttributePattern}, {@link dev.gitops.internal.glob.Wildmatch})
 * against the real Git as the oracle: {@code git check-attr --cached} reads every {@code .gitattributes}
 * from the index, as a checkout reads them, and prints what the {@code filter} attribute is for each
 * path. Each example is a repository of three {@code .gitattributes} (the root's, {@code d/} and
 * {@code d/e/}) of generated lines, and 40 generated paths asked in one {@code check-attr --stdin -z}
 * call. Patterns are drawn from every piece of wildmatch's syntax, states from values, unsets, macros
 * and invalid names. The environment hides this machine's attribute files.
 */
class GitAttributesOracleIT {
  private static final String[] PIECES = {"a", "b", "a", "b", ".", "x", "*", "*", "**", "?", "/", "/", "[ab]", "[!a]",
      "[^b]", "[a-c]", "[]a]", "[!]b]", "[[:alpha:]]", "[[:digit:]]", "[[:punct:]]", "[[:space:]]", "[[:bogus:]]",
      "[[:]", "[a-]", "[\\]]", "\\*", "\\a", "\\", "[", "**/", "/**", "/**/", "***", "\\/", "é", "[\\x-z]", "[a-c-e]",
      " "};
  /** The bytes names are made of: the pieces' literals, and what classes and escapes tell apart. */
  private static final String[] PROBES = {"a", "b", "a", "b", "x", ".", "é", "\u000b", "\f", " ", "\t", "]", "-", "!",
      "^", "1", ":", "[", "\\", "*", "?", "\u007f", "A", "ab", "ba"};
  private static final String[] STATES = {"filter=one", "filter=two", "-filter", "!filter", "filter", "m1", "-m1",
      "m2", "binary", "a", "-a", "bad!name", "filter=three", "m1=x", "!m2"};
  private static final String[] MACROS = {"[attr]m1 filter=mac", "[attr]m2 m1 -a", "[attr]binary filter=bin",
      "[attr]m1 -filter", "[attr]m3 filter=m3", "[attr]bad! filter=no"};

  @TempDir Path tmp;

  @BeforeEach
  void git() {
    boolean installed;
    try {
      installed = run(List.of("git", "--version"), null).exit() == 0;
    } catch (IOException e) {
      installed = false;
    }
    assumeTrue(installed, "git not installed: skipping");
  }

  /** 150 examples of 40 paths; how many get a filter value varies from run to run (483 in one), so the floor is 150. */
  @Test
  void theFilterAttributeIsWhatGitComputes() {
    AtomicInteger example = new AtomicInteger();
    AtomicInteger values = new AtomicInteger();
    qt().withExamples(150).withShrinkCycles(100).forAll(lists().of(integers().between(0, 999_999)).ofSize(400))
        .checkAssert(choices -> {
          Iterator<Integer> c = cycle(choices);
          Map<String, String> files = new LinkedHashMap<>();
          files.put("", lines(c, true));
          files.put("d", lines(c, false));
          files.put("d/e", lines(c, false));
          List<String> paths = new ArrayList<>();
          for (int i = 0; i < 40; i++) {
            paths.add(path(c));
          }
          Map<String, String> expected = checkAttr(tmp.resolve("repo" + example.incrementAndGet()), files, paths);
          AttributeStack stack = new AttributeStack("filter");
          files.forEach((folder, text) -> stack.add(folder, text.getBytes(StandardCharsets.UTF_8)));
          for (String path : paths) {
            String ours = printed(stack.value(path));
            values.addAndGet(AttributeLines.isValue(stack.value(path)) ? 1 : 0);
            assertEquals(expected.get(path), ours, () -> "filter of '" + path + "' under " + files);
          }
        });
    assertTrue(values.get() >= 150, values + " paths got a filter value: matching was tried");
  }

  private static String lines(Iterator<Integer> c, boolean root) {
    StringBuilder text = new StringBuilder();
    int macros = c.next() % 3;
    for (int i = 0; i < macros; i++) {
      text.append(MACROS[c.next() % MACROS.length]).append('\n');
    }
    int lines = 1 + c.next() % 6;
    for (int i = 0; i < lines; i++) {
      int shape = c.next() % 10;
      StringBuilder pattern = new StringBuilder(shape == 0 ? "/" : shape == 1 ? "!" : "");
      int pieces = 1 + c.next() % 5;
      for (int p = 0; p < pieces; p++) {
        pattern.append(PIECES[c.next() % PIECES.length]);
      }
      String written = shape == 2 ? "\"" + pattern.toString().replace("\\", "\\\\") + "\""
          : pattern.toString().replace(" ", "");
      text.append(written.isEmpty() ? "a" : written);
      int states = 1 + c.next() % 3;
      for (int s = 0; s < states; s++) {
        text.append(c.next() % 2 == 0 ? " " : "\t").append(STATES[c.next() % STATES.length]);
      }
      text.append(c.next() % 7 == 0 ? "\r\n" : "\n");
    }
    return text.toString();
  }

  private static String path(Iterator<Integer> c) {
    String[] folders = {"", "", "d/", "d/e/", "d/e/f/", "a/", "d/a/", "b/a/"};
    String folder = folders[c.next() % folders.length];
    StringBuilder name = new StringBuilder();
    int pieces = 1 + c.next() % 4;
    for (int p = 0; p < pieces; p++) {
      name.append(PROBES[c.next() % PROBES.length]);
    }
    return folder + (name.toString().matches("\\.+") ? name + "a" : name); // no "." or "..": Git resolves them
  }

  /** The choices again and again (0 when none), so that a list the shrinker shortened still serves. */
  private static Iterator<Integer> cycle(List<Integer> choices) {
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

  private static String printed(String value) {
    return value.equals(AttributeLines.SET) ? "set" : value.equals(AttributeLines.UNSET) ? "unset"
        : value.equals(AttributeLines.UNSPECIFIED) ? "unspecified" : value;
  }

  /** What {@code git check-attr --cached} prints for {@code filter} of each path, the files in the index. */
  private static Map<String, String> checkAttr(Path repo, Map<String, String> files, List<String> paths) {
    try {
      Files.createDirectories(repo);
      check(run(List.of("git", "init", "-q", repo.toString()), null));
      for (Map.Entry<String, String> file : files.entrySet()) {
        Path folder = repo.resolve(file.getKey());
        Files.createDirectories(folder);
        Files.writeString(folder.resolve(".gitattributes"), file.getValue());
      }
      check(run(List.of("git", "-C", repo.toString(), "add", "-A"), null));
      ByteArrayOutputStream in = new ByteArrayOutputStream();
      for (String path : paths) {
        in.writeBytes(path.getBytes(StandardCharsets.UTF_8));
        in.write(0);
      }
      Result out = check(run(List.of("git", "-C", repo.toString(), "check-attr", "--cached", "--stdin", "-z", "filter"),
          in.toByteArray()));
      String[] fields = new String(out.stdout(), StandardCharsets.UTF_8).split("\0", -1);
      Map<String, String> values = new LinkedHashMap<>();
      for (int i = 0; i + 2 < fields.length; i += 3) {
        values.put(fields[i], fields[i + 2]);
      }
      return values;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Result(int exit, byte[] stdout, String stderr) {}

  private static Result check(Result result) {
    assertEquals(0, result.exit(), result.stderr());
    return result;
  }

  /** Runs {@code argv} with this machine's attribute and config files hidden. */
  private static Result run(List<String> argv, byte[] stdin) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(argv);
    Map<String, String> env = builder.environment();
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_ATTR_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", "/dev/null");
    env.put("XDG_CONFIG_HOME", "/nonexistent");
    env.put("HOME", "/nonexistent");
    Path err = Files.createTempFile("check-attr", ".err");
    builder.redirectError(err.toFile());
    Process process = builder.start();
    try {
      if (stdin != null) {
        process.getOutputStream().write(stdin);
      }
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(argv + " did not end");
      }
      return new Result(process.exitValue(), out, Files.readString(err));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    } finally {
      Files.delete(err);
    }
  }
}
