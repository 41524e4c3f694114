package dev.gitops.source;

import dev.gitops.testing.git.GitRepo;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class GitSourceContractIT implements SourceContract {
  @TempDir Path tmp;
  private GitRepo repo;
  private GitSource source;

  @Override
  public Source sourceOver(Map<String, String> files) throws Exception {
    repo = GitRepo.init(tmp.resolve("remote"));
    repo.commit("initial", files);
    source = GitSource.builder(repo.dir().toString()).ref("main").path("deploy").cache(tmp.resolve("cache")).build();
    return source;
  }

  @Override
  public void change(Map<String, String> files) throws Exception {
    repo.commit("change", files);
  }

  @AfterEach
  void close() {
    if (source != null) {
      source.close();
    }
    if (repo != null) {
      repo.close();
    }
  }
}
