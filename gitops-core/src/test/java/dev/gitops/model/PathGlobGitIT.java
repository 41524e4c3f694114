package dev.gitops.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PathGlob} decides as git does: for each set of lines of the table, a real repository gets
 * them as its {@code .gitignore} and every file of {@link #FILES}, and the files
 * {@code git check-ignore} reports are exactly those the glob matches.
 */
class PathGlobGitIT {
  /** Files of every repository; no name is both a file and a directory. */
  private static final List<String> FILES = List.of(
      "docs/keep.md", "docs/guide.md", "docs/deep/z.md", "sub/docs/y.md", "docs.md", "README.md",
      "a/b/c.txt", "a/x/y/c.txt", "a/c.txt", "c.txt", "b/file", "x/a/b/file",
      "build/out.o", "src/build/gen.o", "src/main.c", "keep.tmp", "x.tmp", "k1.tmp", "dir.tmp/inner.txt",
      "#notes", "!important", "nginx/nginx.conf", "nginx/conf.d/web.conf", "nginx2/x.conf",
      "etc/nginx/sites/a.conf", "app7.conf", "appx.conf", "DOCS/upper.md", "space name.txt");

  /** Sets of {@code .gitignore} lines, one set a row. */
  private static final List<List<String>> TABLE = List.of(
      List.of("docs/"), List.of("docs"), List.of("/docs"), List.of("/docs/"), List.of("docs/*"),
      List.of("docs/**"), List.of("**/docs"), List.of("**/docs/**"), List.of("docs/**/*.md"),
      List.of("*.md"), List.of("/*.md"), List.of("docs/*.md"), List.of("*.md/"),
      List.of("a/**/c.txt"), List.of("**/c.txt"), List.of("a/*/c.txt"), List.of("c.txt"), List.of("/c.txt"),
      List.of("b"), List.of("a/b"), List.of("/a/b/"), List.of("b/"), List.of("**/b/file"),
      List.of("build/"), List.of("/build/"), List.of("*.o", "!src/**"),
      List.of("*.tmp", "!keep.tmp"), List.of("*.tmp/"), List.of("docs/", "!docs/keep.md"),
      List.of("docs/**", "!docs/keep.md"), List.of("docs/*", "!docs/deep/"),
      List.of("*", "!*/", "!*.md"), List.of("/*", "!/docs/"),
      List.of("# comment", "\\#notes"), List.of("#notes"), List.of("\\!important"), List.of("!important"),
      List.of("?.tmp"), List.of("k[0-9].tmp"), List.of("[!k]*.tmp"), List.of("app[0-9].conf"),
      List.of("app[!0-9].conf"), List.of("nginx/*.conf"), List.of("nginx/**"), List.of("nginx"),
      List.of("etc/nginx/"), List.of("**/sites/*.conf"), List.of("**"), List.of("*/"), List.of("*"),
      List.of("DOCS/"), List.of("x.tmp   "), List.of("x.tmp\\ "), List.of("space name.txt"),
      List.of("space\\ name.txt"), List.of("", "   ", "*.c"), List.of("docs/", "!docs/"),
      List.of("*.md", "!README.md", "README.md"));

  @TempDir
  Path tmp;

  @Test
  void everyLineSetMatchesWhatGitCheckIgnoreReports() throws Exception {
    assumeTrue(gitWorks(), "git is not installed: skipping");
    List<String> differences = new ArrayList<>();
    int row = 0;
    for (List<String> lines : TABLE) {
      Path repo = tmp.resolve("repo" + row++);
      git(repo.getParent(), "init", "-q", repo.getFileName().toString());
      Files.writeString(repo.resolve(".gitignore"), String.join("\n", lines) + "\n");
      for (String f : FILES) {
        Files.createDirectories(repo.resolve(f).getParent());
        Files.writeString(repo.resolve(f), f);
      }
      Set<String> byGit = new TreeSet<>(List.of(git(repo, FILES, "check-ignore", "--no-index", "--stdin")
          .split("\n")));
      byGit.remove("");
      PathGlob glob = PathGlob.of(lines);
      Set<String> byGlob = new TreeSet<>();
      FILES.stream().filter(glob::matches).forEach(byGlob::add);
      if (!byGit.equals(byGlob)) {
        differences.add(lines + ": git " + byGit + ", PathGlob " + byGlob);
      }
    }
    assertEquals(List.of(), differences);
  }

  private static boolean gitWorks() {
    try {
      return new ProcessBuilder("git", "--version").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static String git(Path dir, String... args) throws Exception {
    return git(dir, List.of(), args);
  }

  /** Runs git in {@code dir} with {@code stdin} lines on standard input; its standard output. */
  private static String git(Path dir, List<String> stdin, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("git", "-c", "core.excludesFile=/dev/null"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (var in = p.getOutputStream()) {
      in.write((String.join("\n", stdin) + (stdin.isEmpty() ? "" : "\n")).getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    if (rc != 0 && !(rc == 1 && args[0].equals("check-ignore"))) {
      throw new IOException("git " + String.join(" ", args) + " exited " + rc);
    }
    return out;
  }
}
