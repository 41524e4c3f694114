package dev.gitops.internal.glob;

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
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GitignoreMatcher} against the real Git as the oracle: each example is a repository whose
 * {@code .gitignore} holds generated lines (every piece of the syntax: negation, anchoring and trailing
 * slashes, {@code **}, classes, escapes, trailing spaces, comments), with generated files on disk, and
 * one {@code git check-ignore --no-index --stdin -z -v -n} call asks about every file and every folder
 * holding one. Lines the matcher rejects stay in Git's file: Git must match nothing with them either.
 * The environment hides this machine's ignore and config files.
 */
class GitignoreOracleIT {
  private static final String[] PIECES = {"a", "b", "a", "b", "d", ".", "x", "*", "*", "*", "**", "?", "/", "/", "/",
      "[ab]", "[!a]", "[^b]", "[a-c]", "[]a]", "[[:alpha:]]", "[[:digit:]]", "[[:bogus:]]", "[", "[a-]", "\\*", "\\a",
      "\\", "**/", "/**", "/**/", "***", "\\ ", " ", "é", "!", "#", "A", "e/"};
  /** The names paths are made of: the pieces' literals, and what classes and escapes tell apart. */
  private static final String[] PROBES = {"a", "b", "a", "b", "x", "d", "e", ".", "é", " ", "!", "#", "]", "-", "A",
      "1", "ab", "ba", "*", "?", "["};
  private static final String[] FOLDERS = {"", "", "", "a/", "d/", "d/e/", "a/b/", "x/a/", "b/a/d/", "e/"};

  @TempDir Path tmp;

  @BeforeEach
  void git() {
    assumeTrue(GitOracle.installed(), "git not installed: skipping");
  }

  /** 200 examples of up to 30 files and their folders; at least 300 of the paths asked must be ignored. */
  @Test
  void whatIsMatchedIsWhatGitCheckIgnoreReports() {
    AtomicInteger example = new AtomicInteger();
    AtomicInteger ignored = new AtomicInteger();
    AtomicInteger rejected = new AtomicInteger();
    qt().withExamples(200).withShrinkCycles(100).forAll(lists().of(integers().between(0, 999_999)).ofSize(300))
        .checkAssert(choices -> {
          Iterator<Integer> c = GitOracle.cycle(choices);
          List<String> lines = lines(c);
          List<String> accepted = new ArrayList<>();
          for (String line : lines) {
            try {
              GitignoreMatcher.of(List.of(line));
              accepted.add(line);
            } catch (IllegalArgumentException e) {
              rejected.incrementAndGet();
            }
          }
          GitignoreMatcher matcher = GitignoreMatcher.of(accepted);
          Map<String, Boolean> paths = paths(c); // path -> is a folder
          Map<String, Boolean> expected = checkIgnore(tmp.resolve("repo" + example.incrementAndGet()), lines, paths);
          paths.forEach((path, folder) -> {
            boolean ours = folder ? matcher.matchesDirectory(path) : matcher.matchesFile(path);
            ignored.addAndGet(ours ? 1 : 0);
            assertEquals(expected.get(path), ours, () -> (folder ? "folder '" : "file '") + path + "' under " + lines);
          });
        });
    assertTrue(ignored.get() >= 300, ignored + " paths were ignored: matching was tried");
    assertTrue(rejected.get() >= 10, rejected + " lines were rejected: rejection was tried");
  }

  private static List<String> lines(Iterator<Integer> c) {
    List<String> lines = new ArrayList<>();
    int count = 1 + c.next() % 5;
    for (int i = 0; i < count; i++) {
      int shape = c.next() % 8;
      StringBuilder line = new StringBuilder(shape == 0 ? "!" : shape == 1 ? "/" : shape == 2 ? "!/" : "");
      int pieces = 1 + c.next() % 5;
      for (int p = 0; p < pieces; p++) {
        line.append(PIECES[c.next() % PIECES.length]);
      }
      lines.add(line + (c.next() % 6 == 0 ? "/" : "") + (c.next() % 9 == 0 ? "  " : ""));
    }
    return lines;
  }

  /** Files and every folder above one, no path both; each path mapped to whether it is a folder. */
  private static Map<String, Boolean> paths(Iterator<Integer> c) {
    TreeSet<String> files = new TreeSet<>();
    TreeSet<String> folders = new TreeSet<>();
    for (int i = 0; i < 30; i++) {
      StringBuilder name = new StringBuilder();
      int pieces = 1 + c.next() % 3;
      for (int p = 0; p < pieces; p++) {
        name.append(PROBES[c.next() % PROBES.length]);
      }
      String file = FOLDERS[c.next() % FOLDERS.length] + (name.toString().matches("\\.+") ? name + "a" : name);
      List<String> above = new ArrayList<>();
      for (int slash = file.indexOf('/'); slash > 0; slash = file.indexOf('/', slash + 1)) {
        above.add(file.substring(0, slash));
      }
      if (folders.contains(file) || above.stream().anyMatch(files::contains)) {
        continue; // one name cannot be both a file and a folder
      }
      files.add(file);
      folders.addAll(above);
    }
    Map<String, Boolean> paths = new LinkedHashMap<>();
    files.forEach(f -> paths.put(f, false));
    folders.forEach(f -> paths.put(f, true));
    return paths;
  }

  /** Whether {@code git check-ignore} ignores each path, the lines being the repository's {@code .gitignore}. */
  private static Map<String, Boolean> checkIgnore(Path repo, List<String> lines, Map<String, Boolean> paths) {
    try {
      Files.createDirectories(repo);
      GitOracle.run(null, null, "init", "-q", repo.toString()).checked();
      Files.write(repo.resolve(".gitignore"), (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
      ByteArrayOutputStream in = new ByteArrayOutputStream();
      for (Map.Entry<String, Boolean> path : paths.entrySet()) {
        Path at = repo.resolve(path.getKey());
        if (path.getValue()) {
          Files.createDirectories(at);
        } else {
          Files.createDirectories(at.getParent());
          Files.writeString(at, "x");
        }
        in.writeBytes(path.getKey().getBytes(StandardCharsets.UTF_8));
        in.write(0);
      }
      GitOracle.Result out = GitOracle.run(repo, in.toByteArray(), "check-ignore", "--no-index", "--stdin", "-z", "-v",
          "-n");
      assertTrue(out.exit() == 0 || out.exit() == 1, out.stderr());
      String[] fields = new String(out.stdout(), StandardCharsets.UTF_8).split("\0", -1);
      Map<String, Boolean> ignored = new LinkedHashMap<>();
      for (int i = 0; i + 3 < fields.length; i += 4) { // source, line number, pattern, path
        ignored.put(fields[i + 3], !fields[i].isEmpty() && !fields[i + 2].startsWith("!"));
      }
      assertEquals(paths.keySet(), ignored.keySet(), "git answered for every path asked");
      return ignored;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
