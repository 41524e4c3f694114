/**
 * JSON trees laid out for the planner to read: {@link dev.gitops.internal.tree.CompactTrees}
 * copies a tree so that each object's fields sit in one array, in the order a walk from the root
 * reads them. Target readers keep what they observe this way. Not part of the public API.
 *
 * <pre>{@code
 * ObjectNode live = (ObjectNode) mapper.readTree(json);
 * JsonNode kept = CompactTrees.copy(live);   // equal to live, same hash code and serialisation
 * }</pre>
 */
package dev.gitops.internal.tree;
