package dev.gitops.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.internal.Digests;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
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
   * File bytes with a mode and the SHA-256 their reader already knows (a Git source keeps the digests
   * of the blobs it read before, by blob id), which {@link Bytes#sha256()} then gives without hashing;
   * the array is copied. The digest is taken as given: a wrong one makes a target that compares files
   * by digest (a host's {@code sha256sum}) judge other bytes equal to these.
   *
   * @param data the file's content, copied so later writes to the array do not reach it
   * @param mode the file's permissions and ownership; not null
   * @param sha256 the SHA-256 of {@code data}, {@code sha256:} and 64 lower-case hex digits
   * @return the file content
   * @throws IllegalArgumentException when the digest is malformed
   */
  static Bytes bytes(byte[] data, FileMode mode, String sha256) {
    return new Bytes(data, mode, sha256);
  }

  /**
   * A large file by reference: its size and the SHA-256 of its bytes, which {@code opener} gives
   * on demand (never held whole). {@link Bytes#open()} checks what it reads against both.
   *
   * @param size the file's length in bytes; more than {@link Bytes#LARGE} (smaller files are held
   *     in memory: {@link #bytes(byte[], FileMode)})
   * @param sha256 the SHA-256 of the bytes, {@code sha256:} and 64 lower-case hex digits
   * @param mode the file's permissions and ownership; not null
   * @param opener opens the bytes; null when only size and digest are known (a saved plan, a
   *     target's read), and {@link Bytes#open()} then fails
   * @return the file content
   * @throws IllegalArgumentException when {@code size} is not above {@link Bytes#LARGE} or the
   *     digest is malformed
   */
  static Bytes bytes(long size, String sha256, FileMode mode, Opener opener) {
    return new Bytes(size, sha256, mode, opener, null);
  }

  /**
   * A file of at most {@link Bytes#LARGE} bytes whose bytes are read when first needed, then held:
   * until a comparison, a diff or a write asks for them, only its size and SHA-256 are at hand (a Git
   * source gives them so for blobs whose digest it kept, and a plan that finds a target's file equal
   * by digest never reads them). For bytes the source has read and checked before as a checkout would
   * (neither a Git LFS pointer nor encrypted: {@link Bytes#isOnDemand()}). It behaves as
   * {@link #bytes(byte[], FileMode)} in every other way, equality and {@link Bytes#digest()} included;
   * what {@code opener} gives is checked against size and digest when read, and a failure then
   * surfaces as {@link IllegalStateException} from the method that needed the bytes.
   *
   * @param size the file's length in bytes; at most {@link Bytes#LARGE}
   * @param sha256 the SHA-256 of the bytes, {@code sha256:} and 64 lower-case hex digits
   * @param mode the file's permissions and ownership; not null
   * @param opener opens the bytes; not null
   * @return the file content
   * @throws IllegalArgumentException when {@code size} is above {@link Bytes#LARGE} or negative, or the
   *     digest is malformed
   */
  static Bytes bytesOnDemand(long size, String sha256, FileMode mode, Opener opener) {
    return new Bytes(size, sha256, mode, null, new OnDemandBytes(opener, size, sha256));
  }

  /** Opens the bytes of a file held by reference; each call gives a new stream from the start. */
  @FunctionalInterface
  interface Opener {
    /**
     * Opens the bytes from their start.
     *
     * @return a new stream of the file's bytes; the caller closes it
     * @throws IOException when they cannot be opened
     */
    InputStream open() throws IOException;
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
   * The bytes of a file and its mode: held in memory, or for a large file (over {@link #LARGE}
   * bytes) possibly by reference, as its size and SHA-256 with an {@link Opener}; a small file may
   * be read when first needed and held from then on ({@link Content#bytesOnDemand}). A final class,
   * not a record, because its bytes may live outside the heap. An array given is copied in and out.
   *
   * <p>Files of at most {@link #LARGE} bytes compare byte for byte; larger ones by size, SHA-256
   * and mode, never reading their bytes, and {@link #isText()} is false for them (a plan shows
   * their size and digest, never a line diff).
   */
  final class Bytes implements Content {
    /** The largest file held in memory and diffed line by line: 8 MiB. */
    public static final long LARGE = 8L << 20;
    private final byte[] data;
    private final long size;
    private final String sha256;
    private final FileMode mode;
    private final Opener opener;
    /** The bytes of a small file read when first needed ({@link Content#bytesOnDemand}); else null. */
    private final OnDemandBytes onDemand;

    /**
     * Copies {@code data}.
     *
     * @param data the file's content; copied
     * @param mode the file's permissions and ownership; not null
     */
    public Bytes(byte[] data, FileMode mode) {
      this.data = data.clone();
      this.size = data.length;
      this.sha256 = data.length > LARGE ? Digests.ofBytes(this.data) : null;
      this.mode = Objects.requireNonNull(mode, "mode");
      this.opener = null;
      this.onDemand = null;
    }

    private Bytes(byte[] data, FileMode mode, String sha256) {
      if (sha256 == null || !Digests.isSha256(sha256)) {
        throw new IllegalArgumentException("not a sha256:<64 hex digits> digest: " + sha256);
      }
      this.data = data.clone();
      this.size = data.length;
      this.sha256 = sha256;
      this.mode = Objects.requireNonNull(mode, "mode");
      this.opener = null;
      this.onDemand = null;
    }

    /** By reference: a large file with {@code opener} (or none), or a small one read {@code onDemand}. */
    private Bytes(long size, String sha256, FileMode mode, Opener opener, OnDemandBytes onDemand) {
      if (onDemand == null && size <= LARGE) {
        throw new IllegalArgumentException("a file of " + size + " bytes is held in memory, not by"
            + " reference (only files over " + LARGE + " bytes are)");
      }
      if (onDemand != null && (size < 0 || size > LARGE)) {
        throw new IllegalArgumentException("a file read on demand is of 0 to " + LARGE + " bytes, not " + size);
      }
      if (sha256 == null || !Digests.isSha256(sha256)) {
        throw new IllegalArgumentException("not a sha256:<64 hex digits> digest: " + sha256);
      }
      this.data = null;
      this.size = size;
      this.sha256 = sha256;
      this.mode = Objects.requireNonNull(mode, "mode");
      this.opener = opener;
      this.onDemand = onDemand;
    }

    private Bytes(Bytes from, FileMode mode) {
      this.data = from.data;
      this.size = from.size;
      this.sha256 = from.sha256;
      this.mode = Objects.requireNonNull(mode, "mode");
      this.opener = from.opener;
      this.onDemand = from.onDemand;
    }

    /** The bytes in memory (read now when they are read on demand); null for a file held by reference. */
    private byte[] held() {
      return data != null ? data : onDemand != null ? onDemand.bytes() : null;
    }

    /**
     * {@return a fresh copy of the file's bytes: writing to it changes nothing here} A large file
     * held by reference is read whole (and checked): prefer {@link #open()} for those.
     *
     * @throws IllegalStateException when the bytes are not at hand ({@link #canOpen()} false), do not
     *     fit an array, cannot be read, or no longer match size and digest
     */
    public byte[] data() {
      byte[] held = held();
      if (held != null) {
        return held.clone();
      }
      if (size > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("a file of " + size + " bytes does not fit in memory whole: open() it");
      }
      try (InputStream in = open()) {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }

    /** {@return the file's permissions and ownership} */
    public FileMode mode() {
      return mode;
    }

    /** {@return the file's length in bytes, without reading them} */
    public long size() {
      return size;
    }

    /** {@return true when the file is over {@link #LARGE} bytes: compared by digest, never held by a plan} */
    public boolean isLarge() {
      return size > LARGE;
    }

    /**
     * {@return the SHA-256 of the bytes alone, {@code sha256:<hex>}} Computed for a file in memory
     * unless its reader gave it ({@link Content#bytes(byte[], FileMode, String)}), known without
     * reading for one held by reference.
     */
    public String sha256() {
      return sha256 != null ? sha256 : Digests.ofBytes(data);
    }

    /**
     * {@return true for a small file whose bytes are read when first needed ({@link Content#bytesOnDemand}):
     * bytes its source read and checked before as a checkout would, so a loader that looks at each file's
     * first bytes for what a checkout replaces (a Git LFS pointer) can leave it unread}
     */
    public boolean isOnDemand() {
      return onDemand != null;
    }

    /** {@return false when only size and digest are known (read from a saved plan or a target)} */
    public boolean canOpen() {
      return data != null || opener != null || onDemand != null;
    }

    /**
     * Opens the bytes. For a file held by reference the stream counts and digests what it gives
     * and, at its end, fails with an {@link IOException} when that is not the size and SHA-256 this
     * content was made with (the file changed since it was read): read it to the end before
     * trusting what it gave, e.g. before renaming a written file into place.
     *
     * @return a new stream of the bytes, from the start; the caller closes it
     * @throws IOException when the bytes cannot be opened or are not at hand ({@link #canOpen()})
     */
    public InputStream open() throws IOException {
      byte[] held = held();
      if (held != null) {
        return new ByteArrayInputStream(held);
      }
      if (opener == null) {
        throw new IOException("only the size (" + size + " bytes) and digest (" + sha256
            + ") of this file are known (a saved plan or a target's read holds no bytes): nothing to open");
      }
      return new CheckedStream(opener.open(), size, sha256);
    }

    /** {@return true when the bytes look like text: valid UTF-8 without NUL bytes, and not {@link #isLarge() large}} */
    public boolean isText() {
      byte[] held = held();
      return held != null && !isLarge() && Digests.looksLikeText(held);
    }

    /**
     * This file with another mode.
     *
     * @param newMode the permissions and ownership to give the same bytes; not null
     * @return a copy of this content with {@code newMode}
     */
    public Bytes withMode(FileMode newMode) {
      return new Bytes(this, newMode);
    }

    @Override
    public Kind kind() {
      return Kind.BYTES;
    }

    /**
     * {@inheritDoc} For a file of at most {@link #LARGE} bytes, over bytes and mode; for a larger one
     * over its size, {@link #sha256()} and mode (so equal whether held in memory or by reference).
     */
    @Override
    public String digest() {
      return isLarge() ? Digests.ofLarge(size, sha256(), mode) : Digests.ofBytes(held(), mode);
    }

    @Override
    public boolean equals(Object o) {
      if (o == this) {
        return true;
      }
      if (!(o instanceof Bytes b) || size != b.size || !mode.equals(b.mode)) {
        return false;
      }
      if (isLarge()) {
        return sha256().equals(b.sha256());
      }
      if (onDemand != null && onDemand == b.onDemand) {
        return true; // the same bytes (one of them with another mode, since changed back): none read for it
      }
      if (sha256 != null && b.sha256 != null && !sha256.equals(b.sha256)) {
        return false; // both digests at hand and different: so are the bytes, none read for it
      }
      return Arrays.equals(held(), b.held());
    }

    @Override
    public int hashCode() {
      return 31 * (isLarge() ? sha256().hashCode() : Arrays.hashCode(held())) + mode.hashCode();
    }

    @Override
    public String toString() {
      return "Bytes[" + size + " bytes, " + mode + "]";
    }
  }
}
