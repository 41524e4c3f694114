package dev.gitops.source;

import java.io.IOException;
import java.util.Set;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;

/**
 * The reader of the walk that computes a commit's attributes ({@link CheckoutFilters#readFilters}):
 * trees are judged as {@link CheckedTrees} judges them (each inflated once), and the only other objects
 * that walk opens, the {@code .gitattributes} it finds in each tree by name (whatever the entry's mode,
 * as Git), are given only when they are among {@code blobs}, the {@code .gitattributes} blobs the
 * source's own walk found, and smaller than {@code max} bytes. Any other (a submodule named
 * {@code .gitattributes}, whose object is no blob or not in the repository) and a larger one read as
 * empty: no attributes, as Git reads them (attr.c: a {@code .gitattributes} from the index or a tree is
 * read only when its object is a blob, and one of {@code ATTR_MAX_FILE_SIZE}, 100 MiB, or more is
 * ignored with a warning). Closing it leaves the wrapped reader open. Not thread-safe. Not part of the
 * public API.
 */
final class AttributeBlobs extends ObjectReader.Filter {
  private static final ObjectLoader EMPTY = new ObjectLoader.SmallObject(Constants.OBJ_BLOB, new byte[0]);

  private final CheckedTrees trees;
  private final Set<ObjectId> blobs;
  private final int max;

  /** Reads trees through {@code trees}; gives {@code blobs} of fewer than {@code max} bytes, nothing else. */
  AttributeBlobs(CheckedTrees trees, Set<ObjectId> blobs, int max) {
    this.trees = trees;
    this.blobs = Set.copyOf(blobs);
    this.max = max;
  }

  @Override
  protected ObjectReader delegate() {
    return trees;
  }

  /**
   * A tree, judged ({@link CheckedTrees}); one of the known {@code .gitattributes} blobs, if smaller
   * than the bound; otherwise an empty blob.
   */
  @Override
  public ObjectLoader open(AnyObjectId id, int typeHint) throws IOException {
    if (typeHint == Constants.OBJ_TREE) {
      return trees.open(id, typeHint);
    }
    if (!blobs.contains(id)) {
      return EMPTY;
    }
    ObjectLoader blob = trees.open(id, Constants.OBJ_BLOB);
    // the size first: getCachedBytes(limit) bounds only what JGit streams (past core.streamFileThreshold, 50 MiB),
    // and reads that (where getCachedBytes() throws LargeObjectException)
    return blob.getSize() < max ? new ObjectLoader.SmallObject(Constants.OBJ_BLOB, blob.getCachedBytes(max)) : EMPTY;
  }

  /** Leaves the wrapped reader open: its caller closes it. */
  @Override
  public void close() {
    // the wrapped reader is its caller's
  }
}
