/**
 * Helpers of {@code dev.gitops.diff}: the allocation-free tree walk, compiled pointer patterns,
 * merge keys, redaction for rendering and patch ordering. Not public API: nothing here appears in
 * a public signature.
 *
 * <pre>{@code
 * Walk walk = new Walk(new Rules(options), id, false, false, null);
 * walk.value(actualNode, desiredNode, null, 0);
 * ResourceDiff diff = walk.result();
 * }</pre>
 */
package dev.gitops.internal.diff;
