package dev.gitops.k8s;

import dev.gitops.model.Origin;
import dev.gitops.model.ResourceId;
import dev.gitops.source.LoaderContract;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link LoaderContract}'s files for loaders of Kubernetes manifests: one ConfigMap a file, of
 * six lines, the last {@code data: {k: v}} (the line a broken file breaks on).
 */
public abstract class ConfigMapFiles implements LoaderContract {
  /** {@return the path of the file that declares the ConfigMap {@code name}} */
  protected abstract String file(String name);

  /** {@return where the loader says the ConfigMap {@code name} comes from, loaded among {@code names}} */
  protected abstract Origin origin(List<String> names, String name);

  /** {@return the files the format needs beside the manifests {@code files}: none by default} */
  protected Map<String, String> beside(List<String> files) {
    return Map.of();
  }

  /** {@return the text of the file declaring {@code name}} */
  protected String text(String name) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n  namespace: apps\ndata: {k: v}\n";
  }

  /** {@return where the loader reports the file of {@code name} broken on its last line} */
  protected Origin brokenAt(List<String> names, String name) {
    return new Origin(file(name), 6);
  }

  @Override
  public Declared declaring(List<String> names) {
    Declared manifests = Declared.of(beside(names.stream().map(this::file).toList()));
    for (String n : names) {
      manifests = manifests.plus(file(n), text(n), ResourceId.of("ConfigMap", "apps", n), origin(names, n));
    }
    return manifests;
  }

  @Override
  public Broken broken(List<String> names, String name) {
    Map<String, String> files = new TreeMap<>(declaring(names).files());
    files.put(file(name), text(name).replace("data: {k: v}", "data: {k: v"));
    Origin at = brokenAt(names, name);
    return new Broken(files, at.file(), at.line());
  }

  @Override
  public Map<String, String> twice(String name) {
    Map<String, String> files = new TreeMap<>(beside(List.of("a.yaml", "b.yaml")));
    files.put("a.yaml", text(name));
    files.put("b.yaml", text(name));
    return files;
  }
}
