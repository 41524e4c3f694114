package dev.gitops.diff;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to compare actual and desired content.
 *
 * @param mode {@link Mode#EXACT} or {@link Mode#DESIRED_SUBSET}
 * @param ignore rules whose paths never count as drift; each hidden difference is counted
 *     ({@link ResourceDiff#explain()})
 * @param sensitive rules whose values are masked in every rendering ({@code *** (changed)})
 * @param mergeKeys lists matched element by element by key fields rather than by position: a
 *     pointer pattern ({@code *} segments allowed, e.g. {@code /spec/template/spec/containers}) to
 *     the fields that identify an element ({@code [name]}, {@code [containerPort, protocol]})
 * @param normalizers applied in order to both sides before comparing
 * @param schema what the differ knows about the resources' fields (keyed lists, differences that
 *     do not count), or null; where it knows a list, it takes precedence over {@code mergeKeys}
 */
public record DiffOptions(Mode mode, List<PathRule> ignore, List<PathRule> sensitive,
                          Map<String, List<String>> mergeKeys, List<Normalizer> normalizers,
                          FieldSchema schema) {

  /** Comparison modes. */
  public enum Mode {
    /** Every difference counts, including fields the actual side has and desired does not. */
    EXACT,
    /**
     * Only fields the desired side sets count: fields present only on the actual side (server
     * defaults, status, fields added by controllers) are not drift. Fields that left the desired
     * state since the owner last applied ({@link dev.gitops.model.Observed#lastApplied()}) still
     * count, as removals.
     */
    DESIRED_SUBSET
  }

  /**
   * Validates and copies.
   *
   * @param mode how actual-only fields count; not null
   * @param ignore paths left out of the comparison; copied
   * @param sensitive paths whose values are never printed; copied
   * @param mergeKeys key fields by list pointer pattern; copied
   * @param normalizers applied in order to both sides; copied
   * @param schema what the differ knows about fields, or null
   */
  public DiffOptions {
    Objects.requireNonNull(mode, "mode");
    ignore = List.copyOf(ignore);
    sensitive = List.copyOf(sensitive);
    mergeKeys = Map.copyOf(mergeKeys);
    normalizers = List.copyOf(normalizers);
  }

  /**
   * Options without a schema.
   *
   * @param mode how actual-only fields count; not null
   * @param ignore paths left out of the comparison
   * @param sensitive paths whose values are never printed
   * @param mergeKeys key fields by list pointer pattern
   * @param normalizers applied in order to both sides
   */
  public DiffOptions(Mode mode, List<PathRule> ignore, List<PathRule> sensitive,
                     Map<String, List<String>> mergeKeys, List<Normalizer> normalizers) {
    this(mode, ignore, sensitive, mergeKeys, normalizers, null);
  }

  /** {@return {@link Mode#EXACT}, no rules, no merge keys, no normalisers, no schema} */
  public static DiffOptions defaults() {
    return new DiffOptions(Mode.EXACT, List.of(), List.of(), Map.of(), List.of(), null);
  }

  /**
   * With another mode.
   *
   * @param newMode {@link Mode#EXACT} or {@link Mode#DESIRED_SUBSET}; not null
   * @return a copy with the mode replaced
   */
  public DiffOptions withMode(Mode newMode) {
    return new DiffOptions(newMode, ignore, sensitive, mergeKeys, normalizers, schema);
  }

  /**
   * With more ignore rules.
   *
   * @param rules paths to leave out of the comparison, added to those present
   * @return a copy with the rules added
   */
  public DiffOptions ignoring(PathRule... rules) {
    return new DiffOptions(mode, concat(ignore, List.of(rules)), sensitive, mergeKeys, normalizers,
        schema);
  }

  /**
   * With more sensitive paths.
   *
   * @param rules paths whose values are masked in every rendering, added to those present
   * @return a copy with the rules added
   */
  public DiffOptions masking(PathRule... rules) {
    return new DiffOptions(mode, ignore, concat(sensitive, List.of(rules)), mergeKeys, normalizers,
        schema);
  }

  /**
   * With a merge key for the lists at {@code pointerPattern}.
   *
   * @param pointerPattern JSON pointer to the lists, {@code *} segments allowed, e.g.
   *     {@code /spec/template/spec/containers}; replaces an earlier key for the same pattern
   * @param fields the fields that together identify an element, e.g. {@code name}
   * @return a copy with the merge key set
   */
  public DiffOptions withMergeKey(String pointerPattern, String... fields) {
    var keys = new java.util.HashMap<>(mergeKeys);
    keys.put(pointerPattern, List.of(fields));
    return new DiffOptions(mode, ignore, sensitive, keys, normalizers, schema);
  }

  /**
   * With another normaliser, applied after those already present.
   *
   * @param normalizer a pure, idempotent canonicalisation; not null
   * @return a copy with the normaliser appended
   */
  public DiffOptions normalizing(Normalizer normalizer) {
    return new DiffOptions(mode, ignore, sensitive, mergeKeys, concat(normalizers, List.of(normalizer)),
        schema);
  }

  /**
   * With {@code newSchema} (null for none) in place of the current one.
   *
   * @param newSchema what the differ should know about fields, or null for nothing
   * @return a copy with the schema replaced
   */
  public DiffOptions withSchema(FieldSchema newSchema) {
    return new DiffOptions(mode, ignore, sensitive, mergeKeys, normalizers, newSchema);
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    var out = new java.util.ArrayList<T>(a);
    out.addAll(b);
    return out;
  }
}
