package dev.gitops.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.internal.Digests;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a resource holds: a structured {@link Tree} (Kubernetes objects) or the {@link Bytes} of a
 * file with its {@link FileMode}. A closed family; dispatch on {@link #kind()}.
 *
 * <p>Contents are values: immutable, compared by value, and their {@code toString()} never prints
 * the data (a Secret lives in a tree, a private key in a file).
 */
public sealed interface Content {

  /** The members of the family. */
  enum Kind {
    /** A structured {@link Tree}. */
    TREE,
    /** The {@link Bytes} of a file. */
    BYTES
  }

  /** {@return which member of the family this is: {@code TREE} or {@code BYTES}} */
  Kind kind();

  /**
   * A stable digest of the content, {@code sha256:<hex>}: over the canonical (sorted-key) JSON of a
   * tree, over bytes and mode of a file. Equal contents have equal digests.
   *
   * @return {@code "sha256:"} followed by 64 lower-case hex digits; never null
   */
  String digest();

  /**
   * A tree, deep-copied so that later changes to {@code node} do not reach it.
   *
   * @param node the structured content, usually an object node; not null, left untouched
   * @return a tree over a private copy of {@code node}
   */
  static Tree tree(JsonNode node) {
    return new Tree(node.deepCopy());
  }

  /**
   * File bytes with a mode; the array is copied.
   *
   * @param data the file's content, copied so later writes to the array do not reach it
   * @param mode the file's permissions and ownership; not null
   * @return the file content
   */
  static Bytes bytes(byte[] data, FileMode mode) {
    return new Bytes(data, mode);
  }

  /**
   * A structured tree. The node is never mutated after construction: the library does not, and
   * callers must not mutate the node returned by {@link #node()} (copy it with
   * {@code node().deepCopy()} to edit). Use {@link Content#tree(JsonNode)} to build one from a node
   * you keep using; the canonical constructor takes ownership of {@code node} without copying.
   *
   * @param node the tree, an object node for Kubernetes resources
   */
  record Tree(JsonNode node) implements Content {
    /**
     * Takes ownership of {@code node}: the caller must not mutate it afterwards.
     *
     * @param node the structured content; not null
     */
    public Tree {
      Objects.requireNonNull(node, "node");
    }

    @Override
    public Kind kind() {
      return Kind.TREE;
    }

    @Override
    public String digest() {
      return Digests.ofTree(node);
    }

    @Override
    public String toString() {
      return "Tree[" + node.size() + " fields]";
    }
  }

  /**
   * The bytes of a file and its mode. The array is copied in and out.
   *
   * @param data file content
   * @param mode permissions and ownership
   */
  record Bytes(byte[] data, FileMode mode) implements Content {
    /**
     * Copies {@code data}.
     *
     * @param data the file's content; copied
     * @param mode the file's permissions and ownership; not null
     */
    public Bytes {
      data = data.clone();
      Objects.requireNonNull(mode, "mode");
    }

    /** {@return a fresh copy of the file's bytes: writing to it changes nothing here} */
    @Override
    public byte[] data() {
      return data.clone();
    }

    /** {@return the file's length in bytes, without copying them} */
    public int size() {
      return data.length;
    }

    /** {@return true when the bytes look like text: valid UTF-8 without NUL bytes} */
    public boolean isText() {
      return Digests.looksLikeText(data);
    }

    /**
     * This file with another mode.
     *
     * @param newMode the permissions and ownership to give the same bytes; not null
     * @return a copy of this content with {@code newMode}
     */
    public Bytes withMode(FileMode newMode) {
      return new Bytes(data, newMode);
    }

    @Override
    public Kind kind() {
      return Kind.BYTES;
    }

    @Override
    public String digest() {
      return Digests.ofBytes(data, mode);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Bytes b && Arrays.equals(data, b.data) && mode.equals(b.mode);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(data) + mode.hashCode();
    }

    @Override
    public String toString() {
      return "Bytes[" + data.length + " bytes, " + mode + "]";
    }
  }
}
