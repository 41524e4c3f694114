/**
 * What {@code dev.gitops.diff} shares with the packages that render and read its results: compiled
 * pointer patterns ({@code Pattern}, {@code Pointer}), the one source of truth for Secret masking
 * ({@code SecretValues}), redaction ({@code Redactor}) and value helpers. The diff's own walk lives in
 * {@code dev.gitops.diff}, package-private. Not public API: nothing here appears in a public signature.
 *
 * <pre>{@code
 * List<String> segments = Pointer.segments("/spec/template/spec/containers/0/image");
 * }</pre>
 */
package dev.gitops.internal.diff;
