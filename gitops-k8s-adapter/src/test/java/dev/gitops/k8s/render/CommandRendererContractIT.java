package dev.gitops.k8s.render;

import dev.gitops.k8s.ConfigMapFiles;
import dev.gitops.model.Origin;
import dev.gitops.source.Loader;
import dev.gitops.source.LoaderContract;
import java.util.List;

/**
 * The {@link LoaderContract} over {@link CommandRenderer} running {@code sh -c 'cat *.yaml'}: one
 * ConfigMap a file, each opening with {@code ---}, so the tool prints them in name order, seven lines
 * each, and origins are lines of that output.
 */
class CommandRendererContractIT extends ConfigMapFiles {
  private static final String OUTPUT = "<sh output>";

  @Override
  public Loader loader() {
    return CommandRenderer.of(List.of("sh", "-c", "for f in *.yaml; do if [ -f \"$f\" ]; then cat \"$f\"; fi; done"));
  }

  @Override
  protected String file(String name) {
    return name + ".yaml";
  }

  @Override
  protected String text(String name) {
    return "---\n" + super.text(name);
  }

  /** The line after the {@code ---} of the name's file. */
  @Override
  protected Origin origin(List<String> names, String name) {
    return new Origin(OUTPUT, 7 * names.stream().sorted().toList().indexOf(name) + 2);
  }

  /** One output stream: the YAML parser stops at its first syntax error. */
  @Override
  public boolean reportsEveryProblem() {
    return false;
  }

  /** The last line of the name's file. */
  @Override
  protected Origin brokenAt(List<String> names, String name) {
    return new Origin(OUTPUT, 7 * names.stream().sorted().toList().indexOf(name) + 7);
  }
}
