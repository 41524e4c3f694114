package dev.gitops.samples;

import dev.gitops.testing.git.GitRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** For command-line tests: an empty Git repository and the {@code dir:} site it deploys to, new for every test. */
abstract class RepoAndSite {
  @TempDir Path tmp;
  @AutoClose GitRepo repo;
  Path site;

  @BeforeEach
  void repositoryAndSite() throws Exception {
    repo = GitRepo.init(tmp.resolve("repo"));
    site = Files.createDirectories(tmp.resolve("site"));
  }

  /** {@return {@code first}, then the repository's {@code site} path deployed to the site, owned by {@code web}} */
  String[] args(String... first) {
    return Cli.join(first, "--repo", repo.dir().toString(), "--path", "site", "--target", "dir:" + site, "--owner", "web");
  }
}
