package dev.gitops.ssh;

import dev.gitops.model.Origin;
import dev.gitops.model.ResourceId;
import dev.gitops.source.Loader;
import dev.gitops.source.LoaderContract;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link LoaderContract} over {@link FileTreeLoader}: every file is a resource, so what breaks is
 * the tree's {@code .gitops.yaml}, and one path cannot hold two files.
 */
class FileTreeLoaderContractTest implements LoaderContract {
  @Override
  public Loader loader() {
    return FileTreeLoader.of("hosts/web");
  }

  @Override
  public Declared declaring(List<String> names) {
    Declared tree = Declared.of(Map.of("hosts/other/ignored.conf", "not loaded\n"));
    for (String n : names) {
      String path = "hosts/web/etc/" + n + ".conf";
      tree = tree.plus(path, "name = " + n + "\n", ResourceId.file("etc/" + n + ".conf"), new Origin(path, 1));
    }
    return tree;
  }

  /** The tree's configuration, with a mode that is not octal on line 3. */
  @Override
  public Broken broken(List<String> names, String name) {
    Map<String, String> files = new TreeMap<>(declaring(names).files());
    files.put("hosts/web/.gitops.yaml", "files:\n  - glob: \"etc/" + name + ".conf\"\n    mode: \"rw\"\n");
    return new Broken(files, "hosts/web/.gitops.yaml", 3);
  }

  @Override
  public Map<String, String> twice(String name) {
    return null;
  }
}
