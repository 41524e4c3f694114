package dev.gitops.source;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

class DirectorySourceContractTest implements SourceContract {
  @TempDir Path root;

  @Override
  public Source sourceOver(Map<String, String> files) throws Exception {
    change(files);
    return DirectorySource.of(root, "deploy", List.of(), List.of());
  }

  @Override
  public void change(Map<String, String> files) throws Exception {
    for (Map.Entry<String, String> e : files.entrySet()) {
      Path p = root.resolve(e.getKey());
      if (e.getValue() == null) {
        Files.deleteIfExists(p);
      } else {
        Files.createDirectories(p.getParent());
        Files.writeString(p, e.getValue());
      }
    }
  }
}
