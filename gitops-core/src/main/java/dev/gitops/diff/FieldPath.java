package dev.gitops.diff;

/**
 * Where a value sits in a resource's tree, as a {@link FieldNormalizer} sees it: the segments from
 * the root, each an object field name or an array element. A view that the walk reuses: read it
 * during the call it is passed to, never keep it.
 *
 * <p>For example the value of {@code spec.template.spec.containers[0].image} has depth 6, with
 * {@code name(3)} = {@code "containers"} and {@code name(4)} = null (an array element).
 */
public interface FieldPath {
  /** {@return how many segments lead to the value: 0 for the root} */
  int depth();

  /**
   * One segment of the path.
   *
   * @param i the segment's position, from 0 (a field of the root) to {@code depth() - 1}
   * @return segment {@code i} as a field name, or null when it is an array element
   */
  String name(int i);

  /** {@return the name of the last segment, or null at the root or for an array element} */
  default String last() {
    return depth() == 0 ? null : name(depth() - 1);
  }

  /**
   * {@return the name of the segment before the last one, or null when there is none or it is an
   * array element}
   */
  default String parent() {
    return depth() < 2 ? null : name(depth() - 2);
  }
}
