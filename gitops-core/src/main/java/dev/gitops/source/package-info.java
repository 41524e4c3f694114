/**
 * Where desired state comes from: the {@link dev.gitops.source.Source} SPI, the JGit
 * {@link dev.gitops.source.GitSource} and the plain {@link dev.gitops.source.DirectorySource}, and
 * the {@link dev.gitops.source.Loader} SPI that turns a snapshot into a desired state.
 *
 * <p>A pull agent polls {@code latest()} (one ref advertisement when nothing changed) and reads
 * {@code fetch(revision)} only for a new revision:
 *
 * <pre>{@code
 * try (GitSource source = GitSource.builder("git@github.com:acme/deploy.git")
 *     .ref("semver:>=1.2.0 <2.0.0").path("prod").include("*.yaml").exclude("drafts/")
 *     .cache(Path.of("/var/cache/gitops")).sshKey(Path.of("/etc/gitops/id_ed25519"), null)
 *     .knownHosts(Path.of("/etc/gitops/known_hosts"))
 *     .verify(Verification.openPgp(Path.of("/etc/gitops/release-keys.asc")))
 *     .build()) {
 *   Revision revision = source.latest();
 *   Snapshot snapshot = source.fetch(revision);
 *   DesiredState desired = loader.load(snapshot);
 * }
 * }</pre>
 */
package dev.gitops.source;
