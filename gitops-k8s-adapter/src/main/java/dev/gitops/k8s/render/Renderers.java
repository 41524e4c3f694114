package dev.gitops.k8s.render;

import dev.gitops.k8s.ManifestLoader;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Snapshot;
import dev.gitops.source.Loader;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Picks how a snapshot is loaded, as a command line's {@code --render} option says: {@code auto}
 * (the default: a snapshot whose root holds a kustomization is rendered by Kustomize, others load as
 * plain manifests), {@code plain}, {@code kustomize}, or {@code command:PROGRAM ARG...} (a
 * {@link CommandRenderer}; the words are split at spaces, never given to a shell).
 *
 * <pre>{@code
 * Loader loader = Renderers.parse(renderOption, ManifestLoader.withDiscovery(client, "default"));
 * }</pre>
 */
public final class Renderers {
  private Renderers() {}

  /**
   * The loader {@code spec} names.
   *
   * @param spec {@code auto}, {@code plain}, {@code kustomize} or {@code command:PROGRAM ARG...}
   * @param plain the plain loader, also used to load what a renderer prints
   * @return the loader
   * @throws IllegalArgumentException naming the accepted values when {@code spec} is none of them
   */
  public static Loader parse(String spec, ManifestLoader plain) {
    Objects.requireNonNull(plain, "plain");
    String s = Objects.requireNonNull(spec, "spec").strip();
    if (s.equals("auto")) {
      return auto(plain);
    }
    if (s.equals("plain")) {
      return plain;
    }
    if (s.equals("kustomize")) {
      return KustomizeLoader.of().withManifests(plain);
    }
    if (s.startsWith("command:")) {
      List<String> words = Arrays.stream(s.substring("command:".length()).strip().split(" +"))
          .filter(w -> !w.isEmpty()).toList();
      if (!words.isEmpty()) {
        return CommandRenderer.of(words).withManifests(plain);
      }
    }
    throw new IllegalArgumentException("--render=" + spec
        + ": expected auto, plain, kustomize or command:PROGRAM ARG... (e.g. command:helm template web .)");
  }

  /**
   * A loader that renders a snapshot with Kustomize when its root holds a {@code kustomization.yaml},
   * {@code kustomization.yml} or {@code Kustomization}, and loads it with {@code plain} otherwise.
   *
   * @param plain the plain loader, also used to load what Kustomize prints
   * @return the loader (thread-safe; it keeps one {@link KustomizeLoader} and so its render cache)
   */
  public static Loader auto(ManifestLoader plain) {
    KustomizeLoader kustomize = KustomizeLoader.of().withManifests(plain);
    return new Loader() {
      @Override
      public DesiredState load(Snapshot snapshot) {
        return Kustomizations.in(snapshot, "") != null ? kustomize.load(snapshot) : plain.load(snapshot);
      }

      @Override
      public String toString() {
        return "auto (Kustomize where the root has a kustomization, else " + plain + ")";
      }
    };
  }
}
