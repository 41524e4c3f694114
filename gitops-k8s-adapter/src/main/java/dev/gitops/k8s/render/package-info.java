/**
 * Rendered sources: loaders that run a renderer on the snapshot and load what it prints as plain
 * manifests. {@link dev.gitops.k8s.render.KustomizeLoader} runs the real Kustomize (a
 * {@code kustomize} binary or {@code kubectl kustomize}) with origins mapped back to the repository's
 * files; {@link dev.gitops.k8s.render.CommandRenderer} runs any other tool ({@code helm template},
 * jsonnet, a script) from an argument vector; {@link dev.gitops.k8s.render.Renderers} picks one per
 * snapshot ({@code auto}: a folder with a kustomization is rendered, others load as plain manifests).
 * Every renderer runs on a private copy of the snapshot, with a timeout and an output limit, and
 * never through a shell.
 *
 * <pre>{@code
 * Loader loader = Renderers.parse("kustomize", new ManifestLoader());   // or "auto", "plain", "command:helm template ."
 * Reconciler web = Reconciler.builder().name("web").source(GitSource.of(repoUri, "main"))
 *     .loader(KustomizeLoader.of().withFolder("overlays/production"))
 *     .target(KubernetesTarget.of(client)).prune(true).build();
 * }</pre>
 */
package dev.gitops.k8s.render;
