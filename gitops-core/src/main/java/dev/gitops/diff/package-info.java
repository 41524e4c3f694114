/**
 * Pure comparison of actual and desired content: {@link dev.gitops.diff.Differ} yields a
 * {@link dev.gitops.diff.ResourceDiff} of {@link dev.gitops.diff.Change}s with JSON-pointer paths,
 * shaped by {@link dev.gitops.diff.DiffOptions} (mode, merge keys, {@link dev.gitops.diff.Normalizer}s,
 * ignore and sensitive {@link dev.gitops.diff.PathRule}s); {@link dev.gitops.diff.DiffRenderer}
 * prints it as a unified diff or an RFC 6902 JSON Patch, sensitive values masked. No I/O, clock or
 * threads.
 *
 * <pre>{@code
 * DiffOptions options = DiffOptions.defaults()
 *     .withMode(DiffOptions.Mode.DESIRED_SUBSET)
 *     .withMergeKey("/spec/template/spec/containers", "name")
 *     .ignoring(PathRule.forKind("Deployment", "/status"))
 *     .masking(PathRule.forKind("Secret", "/data/*"));
 * ResourceDiff diff = new Differ(options).diff(id, actual, desired, lastApplied);
 * if (!diff.isEmpty()) {
 *   System.out.println(DiffRenderer.unified(id, actual, desired, diff, options));
 * }
 * System.out.println(diff.explain());   // Deployment/default/web: 2 hidden by ignore ...
 * }</pre>
 */
package dev.gitops.diff;
