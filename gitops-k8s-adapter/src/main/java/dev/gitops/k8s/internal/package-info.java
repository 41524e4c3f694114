/**
 * Helpers of the Kubernetes adapter; not part of the public API and never in a public signature:
 * YAML document splitting with lines, kind tables and CRD-based kind resolution, the cluster reader
 * and writer, the three-way JSON Patch, the compact last-applied record, quantities, health rules.
 *
 * <pre>{@code
 * ArrayNode ops = ThreeWayPatch.of(desired, live, lastApplied, "42");
 * // [{"op":"replace","path":"/metadata/resourceVersion","value":"42"}, {"op":"remove",...}, ...]
 * }</pre>
 */
package dev.gitops.k8s.internal;
