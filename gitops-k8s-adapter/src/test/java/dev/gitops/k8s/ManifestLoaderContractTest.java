package dev.gitops.k8s;

import dev.gitops.model.Origin;
import dev.gitops.source.Loader;
import dev.gitops.source.LoaderContract;
import java.util.List;

/** The {@link LoaderContract} over {@link ManifestLoader}: plain manifests, one ConfigMap a file. */
class ManifestLoaderContractTest extends ConfigMapFiles {
  @Override
  public Loader loader() {
    return new ManifestLoader();
  }

  @Override
  protected String file(String name) {
    return "deploy/" + name + ".yaml";
  }

  @Override
  protected Origin origin(List<String> names, String name) {
    return new Origin(file(name), 1);
  }
}
