package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.gitops.internal.glob.GitOracle;
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
 * call. Patterns are drawn from every piece of wildmatch's syntax, states from values, unsets, macros,
 * invalid names and names {@code builtin_*}. The environment hides this machine's attribute files.
 *
 * <p>Git here is 2.39, which reads a line naming a {@code builtin_*} attribute as any other; Git from 2.43
 * skips such a line whole (attr.c {@code attr_name_reserved}, from {@code parse_attr} and
 * {@code parse_attr_line}). The newer reading is checked against the same Git given the files without
 * the generated lines that name one: what Git from 2.43 reads of them.
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
      "m2", "binary", "a", "-a", "bad!name", "filter=three", "m1=x", "!m2", "builtin_objectmode=x", "-builtin_a",
      "!builtin_filter", "builtin_", "builtin_m", "builtin", "builtin=1"};
  private static final String[] MACROS = {"[attr]m1 filter=mac", "[attr]m2 m1 -a", "[attr]binary filter=bin",
      "[attr]m1 -filter", "[attr]m3 filter=m3", "[attr]bad! filter=no", "[attr]builtin_m filter=bm",
      "[attr]m1 filter=mb builtin_x", "[attr]builtin m1"};
  /** What marks a generated line that Git from 2.43 skips: it names an attribute {@code builtin_*}. */
  private static final String RESERVED = "builtin_";

  @TempDir Path tmp;

  @BeforeEach
  void git() {
    assumeTrue(GitOracle.installed(), "git not installed: skipping");
  }

  /**
   * 150 examples of 40 paths; how many get a filter value varies from run to run (483 in one), so the
   * floor is 150; in how many examples the lines naming {@code builtin_*} change a path's filter, too
   * (37 in one), so the floor is 10.
   */
  @Test
  void theFilterAttributeIsWhatGitComputes() {
    AtomicInteger example = new AtomicInteger();
    AtomicInteger values = new AtomicInteger();
    AtomicInteger readingsDiffer = new AtomicInteger();
    qt().withExamples(150).withShrinkCycles(100).forAll(lists().of(integers().between(0, 999_999)).ofSize(400))
        .checkAssert(choices -> {
          Iterator<Integer> c = GitOracle.cycle(choices);
          Map<String, String> files = new LinkedHashMap<>();
          Map<String, String> newerFiles = new LinkedHashMap<>(); // what Git from 2.43 reads of them
          for (String folder : List.of("", "d", "d/e")) {
            List<String> lines = lines(c, folder.isEmpty());
            files.put(folder, String.join("", lines));
            newerFiles.put(folder, String.join("", lines.stream().filter(l -> !l.contains(RESERVED)).toList()));
          }
          List<String> paths = new ArrayList<>();
          for (int i = 0; i < 40; i++) {
            paths.add(path(c));
          }
          int n = example.incrementAndGet();
          Map<String, String> expected = checkAttr(tmp.resolve("repo" + n), files, paths);
          Map<String, String> newerExpected = checkAttr(tmp.resolve("newer" + n), newerFiles, paths);
          AttributeStack stack = new AttributeStack("filter", false);
          AttributeStack newer = new AttributeStack("filter", true);
          files.forEach((folder, text) -> stack.add(folder, text.getBytes(StandardCharsets.UTF_8)));
          files.forEach((folder, text) -> newer.add(folder, text.getBytes(StandardCharsets.UTF_8)));
          for (String path : paths) {
            values.addAndGet(AttributeLines.isValue(stack.value(path)) ? 1 : 0);
            assertEquals(expected.get(path), printed(stack.value(path)),
                () -> "filter of '" + path + "' under " + files);
            assertEquals(newerExpected.get(path), printed(newer.value(path)),
                () -> "filter of '" + path + "' under " + files + ", as Git from 2.43 reads them: " + newerFiles);
          }
          readingsDiffer.addAndGet(expected.equals(newerExpected) ? 0 : 1);
        });
    assertTrue(values.get() >= 150, values + " paths got a filter value: matching was tried");
    assertTrue(readingsDiffer.get() >= 10, readingsDiffer + " examples where builtin_* lines count: they were tried");
  }

  /** The lines of one generated {@code .gitattributes}, each with its line end. */
  private static List<String> lines(Iterator<Integer> c, boolean root) {
    List<String> text = new ArrayList<>();
    int macros = c.next() % 3;
    for (int i = 0; i < macros; i++) {
      text.add(MACROS[c.next() % MACROS.length] + "\n");
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
      StringBuilder line = new StringBuilder(written.isEmpty() ? "a" : written);
      int states = 1 + c.next() % 3;
      for (int s = 0; s < states; s++) {
        line.append(c.next() % 2 == 0 ? " " : "\t").append(STATES[c.next() % STATES.length]);
      }
      text.add(line.append(c.next() % 7 == 0 ? "\r\n" : "\n").toString());
    }
    return text;
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

  private static String printed(String value) {
    return value.equals(AttributeLines.SET) ? "set" : value.equals(AttributeLines.UNSET) ? "unset"
        : value.equals(AttributeLines.UNSPECIFIED) ? "unspecified" : value;
  }

  /** What {@code git check-attr --cached} prints for {@code filter} of each path, the files in the index. */
  private static Map<String, String> checkAttr(Path repo, Map<String, String> files, List<String> paths) {
    try {
      Files.createDirectories(repo);
      GitOracle.run(null, null, "init", "-q", repo.toString()).checked();
      for (Map.Entry<String, String> file : files.entrySet()) {
        Path folder = repo.resolve(file.getKey());
        Files.createDirectories(folder);
        Files.writeString(folder.resolve(".gitattributes"), file.getValue());
      }
      GitOracle.run(repo, null, "add", "-A").checked();
      ByteArrayOutputStream in = new ByteArrayOutputStream();
      for (String path : paths) {
        in.writeBytes(path.getBytes(StandardCharsets.UTF_8));
        in.write(0);
      }
      GitOracle.Result out = GitOracle.run(repo, in.toByteArray(), "check-attr", "--cached", "--stdin", "-z", "filter")
          .checked();
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
}
