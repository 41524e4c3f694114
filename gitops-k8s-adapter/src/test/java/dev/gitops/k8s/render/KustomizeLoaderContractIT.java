package dev.gitops.k8s.render;

import dev.gitops.k8s.ConfigMapFiles;
import dev.gitops.model.Origin;
import dev.gitops.source.Loader;
import dev.gitops.source.LoaderContract;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@link LoaderContract} over {@link KustomizeLoader} with the Kustomize on this machine (skipped
 * without one): a kustomization listing one ConfigMap a file.
 */
class KustomizeLoaderContractIT extends ConfigMapFiles {
  @Override
  public Loader loader() {
    return KustomizeLoader.of().withTool(Tools.kustomize()).withTimeout(Duration.ofMinutes(5));
  }

  @Override
  protected String file(String name) {
    return name + ".yaml";
  }

  @Override
  protected Origin origin(List<String> names, String name) {
    return new Origin(file(name), 1);
  }

  @Override
  protected Map<String, String> beside(List<String> files) {
    return Map.of("kustomization.yaml", files.isEmpty() ? "resources: []\n"
        : "resources:\n" + files.stream().map(f -> "- " + f + "\n").collect(Collectors.joining()));
  }

  /** Kustomize stops at the first file it cannot read. */
  @Override
  public boolean reportsEveryProblem() {
    return false;
  }

  /**
   * Kustomize reads the files: a broken one or a duplicate is its message, quoted under
   * {@code kustomization.yaml:0} (it names the file, and its own line: {@code yaml: line 5} for the
   * sixth), not a problem at the file's line with the resource's id.
   */
  @Override
  public boolean locatesProblemsItself() {
    return false;
  }
}
