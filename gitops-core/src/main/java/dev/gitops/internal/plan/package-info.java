/**
 * Helpers of {@code dev.gitops.plan}: wave ordering, handler globs, plan JSON reading and writing,
 * redaction of sensitive values, fingerprints and the text rendering. Not part of the public API:
 * nothing here appears in a public signature.
 *
 * <pre>{@code
 * boolean triggered = Glob.of("nginx/**").matches("nginx/conf.d/web.conf");   // true
 * }</pre>
 */
package dev.gitops.internal.plan;
