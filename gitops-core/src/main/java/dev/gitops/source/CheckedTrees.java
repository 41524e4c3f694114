package dev.gitops.source;

import java.io.IOException;
import java.util.EnumSet;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectChecker;
import org.eclipse.jgit.lib.ObjectChecker.ErrorType;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;

/**
 * A reader for a {@code TreeWalk} that judges every tree it opens by JGit's {@link ObjectChecker}
 * and hands the walk the very bytes it judged: each tree is inflated once, checked, then parsed
 * (JGit's {@code CanonicalTreeParser} takes a tree's bytes from {@code open(id, OBJ_TREE)}), and a
 * tree the checker refuses is never parsed. The checker judges a tree's form as {@code git fsck} does
 * (modes, sorting, duplicate names, entries cut short: what a name holding a NUL makes of a tree, the
 * NUL ending the name where Git reads it and the rest read as the object id); a zero-padded mode and
 * a null object id, which git only warns about, pass; names are left to {@code TreeReader.checkSafe},
 * which names the path. Other objects are read as the wrapped reader reads them. Closing it leaves
 * the wrapped reader open. Not thread-safe (as an {@link ObjectReader}). Not part of the public API.
 */
final class CheckedTrees extends ObjectReader.Filter {
  private final ObjectReader reader;
  private final ObjectChecker checker = new ObjectChecker();

  /** Reads through {@code reader}, which its caller closes. */
  CheckedTrees(ObjectReader reader) {
    this.reader = reader;
    checker.setIgnore(EnumSet.of(ErrorType.ZERO_PADDED_FILEMODE, ErrorType.NULL_SHA1, ErrorType.EMPTY_NAME,
        ErrorType.HAS_DOT, ErrorType.HAS_DOTDOT, ErrorType.HAS_DOTGIT, ErrorType.FULL_PATHNAME));
  }

  @Override
  protected ObjectReader delegate() {
    return reader;
  }

  /**
   * A tree's bytes, judged first; any other object as the wrapped reader opens it.
   *
   * @throws org.eclipse.jgit.errors.CorruptObjectException when the tree is not one Git writes
   */
  @Override
  public ObjectLoader open(AnyObjectId id, int typeHint) throws IOException {
    if (typeHint != Constants.OBJ_TREE) {
      return reader.open(id, typeHint);
    }
    byte[] raw = reader.open(id, Constants.OBJ_TREE).getCachedBytes(Integer.MAX_VALUE);
    checker.checkTree(id, raw);
    return new ObjectLoader.SmallObject(Constants.OBJ_TREE, raw);
  }

  /** Leaves the wrapped reader open: its caller closes it. */
  @Override
  public void close() {
    // the wrapped reader is its caller's
  }
}
