/**
 * The one glob matcher behind every glob a user writes (sources' include and exclude, the hosts
 * adapter's {@code .gitops.yaml} rules, handler globs): {@link dev.gitops.internal.glob.GitignoreMatcher},
 * Git's gitignore rules over {@link dev.gitops.internal.glob.Wildmatch}, Git's wildmatch by dynamic
 * programming, which the source package also uses for {@code .gitattributes} lines. Publicly it
 * is {@link dev.gitops.model.PathGlob}. Not part of the public API.
 *
 * <pre>{@code
 * GitignoreMatcher m = GitignoreMatcher.of(List.of("docs/", "*.tmp", "!keep.tmp"));
 * m.matchesFile("docs/guide.md");   // true: its directory is matched
 * m.matchesFile("keep.tmp");        // false: the last matching line negates
 * }</pre>
 */
package dev.gitops.internal.glob;
