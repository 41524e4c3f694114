package dev.gitops.source;

import dev.gitops.testing.git.GitRepo;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.io.TempDir;

class GitSourceContractIT implements SourceContract {
  @TempDir Path tmp;
  @AutoClose private GitRepo repo;
  @AutoClose private GitSource source;

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

}
