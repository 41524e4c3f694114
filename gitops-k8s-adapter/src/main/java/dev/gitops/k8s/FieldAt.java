package dev.gitops.k8s;

import dev.gitops.model.ResourceId;

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

  /**
   * {@code spec.template.spec.containers[0].env}, for messages and log lines: each key is the
   * repository's own, printed escaped by the rule names print by ({@link ResourceId#escape}), so a
   * key holding a line break or an escape forges no line.
   */
  String dotted() {
    String up = parent == null ? "" : parent.dotted();
    String name = index >= 0 ? null : ResourceId.escape(key);
    return index >= 0 ? up + "[" + index + "]" : up.isEmpty() ? name : up + "." + name;
  }

  /** The RFC 6901 pointer: {@code /spec/template/spec/containers/0/env}. */
  String pointer() {
    return (parent == null ? "" : parent.pointer()) + "/" + (index >= 0 ? String.valueOf(index) : Pointers.escape(key));
  }
}
