package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.model.DesiredState;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Problem;
import dev.gitops.model.ResourceId;
import dev.gitops.model.Snapshot;
import dev.gitops.source.GitSource;
import dev.gitops.source.LoaderContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file Git stores as a Git LFS pointer is refused before anything is written: deployed, the host
 * would get the pointer's three lines in place of the file. Made with the real {@code git lfs}
 * (skipped where it is not installed; {@code .ci/run} installs Debian's {@code git-lfs}).
 */
class LfsPointerTest {
  @TempDir Path tmp;

  private void git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> argv = new java.util.ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.com"));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "git " + args[0] + " did not end");
    assertEquals(0, p.exitValue(), "git " + String.join(" ", args) + ": " + out);
  }

  private static boolean gitLfsInstalled() {
    try {
      Process p = new ProcessBuilder("git", "lfs", "version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  @Test
  void aFileCommittedThroughGitLfsIsAProblemNamingItAndTheRestLoads() throws Exception {
    assumeTrue(gitLfsInstalled(), "git lfs not installed: skipping (apt-get install git-lfs)");
    Path repo = Files.createDirectories(tmp.resolve("repo"));
    git(repo, "init", "-q", "-b", "main");
    git(repo, "lfs", "install", "--local");
    git(repo, "lfs", "track", "assets/*.bin");
    byte[] blob = new byte[5000];
    new Random(7).nextBytes(blob);
    Files.createDirectories(repo.resolve("assets"));
    Files.write(repo.resolve("assets/logo.bin"), blob);
    Files.writeString(repo.resolve("app.conf"), "port = 8080\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "assets in LFS");

    Snapshot snapshot;
    try (GitSource source = GitSource.builder(repo.toString()).ref("main").cache(tmp.resolve("cache")).build()) {
      snapshot = source.fetch(source.latest());
    }
    assertTrue(snapshot.text("assets/logo.bin").startsWith("version https://git-lfs.github.com/spec/v1\n"),
        "what Git stores, and the source reads, is the pointer");
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> FileTreeLoader.root().load(snapshot));
    Problem problem = e.problems().get(0);
    assertEquals(1, e.problems().size(), e.getMessage());
    assertEquals("assets/logo.bin", problem.file());
    assertEquals(ResourceId.file("assets/logo.bin"), problem.id());
    assertTrue(problem.message().startsWith("is a Git LFS pointer (object sha256:") && problem.message().contains(
        ", 5000 bytes), not the file"), problem.message());

    Files.writeString(repo.resolve(".gitops.yaml"), "exclude: [\"assets/\"]\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "assets excluded");
    try (GitSource source = GitSource.builder(repo.toString()).ref("main").cache(tmp.resolve("cache")).build()) {
      DesiredState d = FileTreeLoader.root().load(source.fetch(source.latest()));
      assertNotNull(d.get(ResourceId.file("app.conf")));
      assertNull(d.get(ResourceId.file("assets/logo.bin")), "an excluded pointer is no problem");
    }
  }

  @Test
  void textThatOnlyLooksLikeAPointerIsAFileLikeAnyOther() {
    String oid = "oid sha256:" + "ab".repeat(32) + "\n";
    String pointer = "version https://git-lfs.github.com/spec/v1\n" + oid + "size 12\n";
    Map<String, String> files = Map.of(
        "docs/lfs-spec-example.txt", pointer + "and a line of prose that no pointer has\n",
        "etc/version", "version 1.2\n",
        "etc/big", pointer + "x-note " + "y".repeat(1100) + "\n",
        "etc/no-size", "version https://git-lfs.github.com/spec/v1\n" + oid);
    DesiredState d = FileTreeLoader.root().load(LoaderContract.snapshot(files));
    assertEquals(4, d.byId().size(), d.byId().keySet().toString());
    assertNotNull(LfsPointer.problem(pointer.getBytes(StandardCharsets.UTF_8)), "the pointer itself is one");
    assertNotNull(LfsPointer.problem(("version https://hawser.github.com/spec/v1\n" + oid + "size 12\n")
        .getBytes(StandardCharsets.UTF_8)), "so is a pre-release pointer");
  }
}
