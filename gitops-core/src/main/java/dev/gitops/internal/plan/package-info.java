/**
 * Helpers of {@code dev.gitops.plan}: wave ordering, plan JSON reading and writing,
 * redaction of sensitive values, fingerprints and the text rendering. Not part of the public API:
 * nothing here appears in a public signature.
 *
 * <pre>{@code
 * Plan plan = new Planner().plan(desired, actual, options);   // orders, fingerprints, renders with these
 * }</pre>
 */
package dev.gitops.internal.plan;
