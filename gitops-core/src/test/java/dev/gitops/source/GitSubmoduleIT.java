package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.testing.git.GitRepo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A submodule among the selected paths is refused, named with its URL; excluded or not selected, it is no matter. */
class GitSubmoduleIT {
  @TempDir Path tmp;

  /** A repository whose {@code vendor/lib} is a submodule added by the git CLI from a local file URL. */
  private GitRepo withSubmodule() throws Exception {
    try (GitRepo lib = GitRepo.init(tmp.resolve("lib"))) {
      lib.commit("lib", Map.of("lib.sh", "echo lib\n"));
    }
    GitRepo repo = GitRepo.init(tmp.resolve("app"));
    repo.commit("app", Map.of("deploy/app.yaml", "a: 1\n", "vendor/README", "vendored\n"));
    git(repo.dir(), "-c", "protocol.file.allow=always", "submodule", "add", "-q",
        tmp.resolve("lib").toUri().toString(), "vendor/lib");
    git(repo.dir(), "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "submodule");
    return repo;
  }

  private static void git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> argv = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
  }

  @Test
  void aSelectedSubmoduleIsRefusedNamingItsPathAndUrlAndWhatToDo() throws Exception {
    try (GitRepo repo = withSubmodule();
         GitSource source = GitSource.builder(repo.dir().toString()).cache(tmp.resolve("cache")).build()) {
      SourceException e = assertThrows(SourceException.class, () -> source.fetch(source.latest()));
      String url = tmp.resolve("lib").toUri().toString();
      assertTrue(e.getMessage().endsWith(": a submodule is not supported: 'vendor/lib' (URL " + url + "). Its files"
          + " are in another repository, which is not read: a deploy would lack them and remove what it deployed"
          + " there before. Commit the files into this repository, or leave it out of the source with its exclude"
          + " globs, relative to its path (GitSource.builder(url).exclude(\"vendor/lib\")); a .gitops.yaml"
          + " exclude: does not help, it applies after the files are read"), e.getMessage());
    }
  }

  @Test
  void aSourcePathThatIsASubmoduleIsRefusedAsOne() throws Exception {
    try (GitRepo repo = withSubmodule();
         GitSource source = GitSource.builder(repo.dir().toString()).cache(tmp.resolve("cache")).path("vendor/lib")
             .build()) {
      SourceException e = assertThrows(SourceException.class, () -> source.fetch(source.latest()));
      assertTrue(e.getMessage().endsWith(": the source's path 'vendor/lib' is a submodule (URL "
          + tmp.resolve("lib").toUri() + "), whose files are in another repository, which is not read: make a source"
          + " of that repository instead"), e.getMessage());
    }
  }

  @Test
  void aSubmoduleLeftOutOfTheSourceIsNoMatter() throws Exception {
    try (GitRepo repo = withSubmodule();
         GitSource excluded = GitSource.builder(repo.dir().toString()).cache(tmp.resolve("c1"))
             .exclude("vendor/lib").build();
         GitSource elsewhere = GitSource.builder(repo.dir().toString()).cache(tmp.resolve("c2"))
             .path("deploy").build()) {
      assertEquals(Set.of(".gitmodules", "deploy/app.yaml", "vendor/README"),
          excluded.fetch(excluded.latest()).files().keySet());
      assertEquals(Set.of("app.yaml"), elsewhere.fetch(elsewhere.latest()).files().keySet());
    }
  }
}
