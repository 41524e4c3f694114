/**
 * Small helpers shared by the core's packages: argument checks ({@link dev.gitops.internal.Checks}),
 * SHA-256 digests in the {@code sha256:<hex>} form ({@link dev.gitops.internal.Digests}), and the one
 * rule by which names print escaped ({@link dev.gitops.internal.Printable}). The
 * performance machinery sits behind its own door, {@link dev.gitops.internal.tune.Tuning}.
 * Not part of the public API; nothing here appears in a public signature.
 *
 * <pre>{@code
 * String name = Checks.notBlank(value, "name");        // IllegalArgumentException when blank
 * String digest = Digests.ofBytes("port=80\n".getBytes(UTF_8));   // "sha256:..."
 * }</pre>
 */
package dev.gitops.internal;
