/**
 * The engine's performance machinery behind one door, {@link dev.gitops.internal.tune.Tuning}:
 * shared names (one instance per kind, group, namespace or owner), shared short text values in
 * parsed trees, compact tree layouts (each object's fields in one array, read in memory order),
 * per-thread reuse of the differ's walk and the planner's last compiled differ. Everything but the
 * door is package-private. Not part of the public API; users reach trees through
 * {@link dev.gitops.model.JsonTrees}.
 *
 * <pre>{@code
 * ObjectMapper mapper = new ObjectMapper().setNodeFactory(Tuning.nodeFactory());
 * JsonNode kept = Tuning.compactCopy(mapper.readTree(json));   // equal, same hash and serialisation
 * }</pre>
 */
package dev.gitops.internal.tune;
