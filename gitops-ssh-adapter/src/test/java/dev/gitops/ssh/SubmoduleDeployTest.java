package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.reconcile.PushDeployer;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.GitSource;
import dev.gitops.source.SourceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder deployed to a host that becomes a submodule in Git: the next deploy is refused, naming
 * the submodule, and leaves what it deployed from there in place, where a deploy reading the
 * submodule as an empty folder would have pruned it. Made with the real {@code git submodule add}.
 */
class SubmoduleDeployTest {
  @TempDir Path tmp;

  private void git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> argv = new java.util.ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.com",
        "-c", "protocol.file.allow=always"));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "git " + args[0] + " did not end");
    assertEquals(0, p.exitValue(), "git " + String.join(" ", args) + ": " + out);
  }

  @Test
  void aDeployedFolderThatBecomesASubmoduleIsRefusedAndKeptOnTheHost() throws Exception {
    Path lib = Files.createDirectories(tmp.resolve("lib"));
    git(lib, "init", "-q", "-b", "main");
    Files.writeString(lib.resolve("lib.sh"), "echo lib 2\n");
    git(lib, "add", "-A");
    git(lib, "commit", "-q", "-m", "lib");
    Path repo = Files.createDirectories(tmp.resolve("repo"));
    git(repo, "init", "-q", "-b", "main");
    Files.createDirectories(repo.resolve("vendor/lib"));
    Files.writeString(repo.resolve("vendor/lib/lib.sh"), "echo lib 1\n");
    Files.writeString(repo.resolve("app.conf"), "port = 8080\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "vendored");
    Path root = Files.createDirectories(tmp.resolve("root"));
    Reconciler site = Reconciler.builder().name("site")
        .source(GitSource.builder(repo.toString()).ref("main").cache(tmp.resolve("cache")).build())
        .loader(FileTreeLoader.root()).target(FilesTarget.local(root)).prune(true).build();
    assertTrue(PushDeployer.of(site).deploy("main").isSuccess());
    assertEquals("echo lib 1\n", Files.readString(root.resolve("vendor/lib/lib.sh")));

    git(repo, "rm", "-q", "-r", "vendor/lib");
    git(repo, "commit", "-q", "-m", "unvendor");
    git(repo, "submodule", "add", "-q", lib.toUri().toString(), "vendor/lib");
    git(repo, "commit", "-q", "-m", "lib as a submodule");
    SourceException e = assertThrows(SourceException.class, () -> PushDeployer.of(site).deploy("main"));
    assertTrue(e.getMessage().contains("a submodule is not supported: 'vendor/lib' (URL " + lib.toUri()), e.getMessage());
    assertEquals("echo lib 1\n", Files.readString(root.resolve("vendor/lib/lib.sh")), "nothing was pruned");
  }
}
