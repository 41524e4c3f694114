/**
 * JGit plumbing behind {@link dev.gitops.source.GitSource}: the bare cache with its lock, the remote
 * connection, ref and semver resolution, tree reading with gitignore-syntax globs, strict known_hosts
 * checking and signature checks. Not part of the public API; nothing here appears in a public
 * signature.
 *
 * <pre>{@code
 * SemverRange range = SemverRange.parse("^1.2");
 * Optional<String> tag = range.highest(List.of("v1.1.0", "v1.4.2", "v2.0.0"));   // v1.4.2
 * }</pre>
 */
package dev.gitops.internal.git;
