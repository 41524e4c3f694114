package dev.gitops.k8s;

/**
 * Where a walk of an object's tree is: field {@code key} of {@code parent} ({@code index} -1), or
 * element {@code index} of {@code parent}'s list ({@code key} null); the root's parent is null. The
 * paths are built only when a problem prints one.
 */
record FieldAt(FieldAt parent, String key, int index) {
  /** Field {@code key} of {@code parent}. */
  static FieldAt field(FieldAt parent, String key) {
    return new FieldAt(parent, key, -1);
  }

  /** Element {@code index} of {@code parent}'s list. */
  static FieldAt element(FieldAt parent, int index) {
    return new FieldAt(parent, null, index);
  }

  /** {@code spec.template.spec.containers[0].env}. */
  String dotted() {
    String up = parent == null ? "" : parent.dotted();
    return index >= 0 ? up + "[" + index + "]" : up.isEmpty() ? key : up + "." + key;
  }

  /** The RFC 6901 pointer: {@code /spec/template/spec/containers/0/env}. */
  String pointer() {
    return (parent == null ? "" : parent.pointer()) + "/" + (index >= 0 ? String.valueOf(index) : Pointers.escape(key));
  }
}
