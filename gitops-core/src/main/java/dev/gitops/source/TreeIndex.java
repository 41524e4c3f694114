package dev.gitops.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;

/**
 * The entries of the Git trees on the way to the sources' paths, each tree read once and shared by
 * every source of one repository cache in this JVM. Without it, a fleet of 1,000 reconcilers each
 * reading one folder of a repository of 1,000 folders inflates and scans the 1,000-entry root tree
 * twice per reconciler and revision (once for its path's content key, once to read the path).
 * A tree is named by its content, so what is kept never goes stale; beyond {@code maxEntries}
 * entries in all, the least recently used trees are dropped. Thread-safe. Not part of the public
 * API.
 */
final class TreeIndex {
  /**
   * The default bound, 1.5-2 MiB of entries (84 bytes each measured for 10-character names, more
   * for longer ones). A repository's index fills up over its revisions (each commit brings a new
   * root tree), so this is what it holds in the end: with a 1,000-entry root, the trees of the last
   * 15 or so revisions, while lookups go to the newest. A single tree larger than the bound is
   * still kept while it is the last one read.
   */
  static final int MAX_ENTRIES = 16_384;

  /** One entry of a tree. */
  record Entry(FileMode mode, ObjectId id) {
    /** True when the entry is a directory (a tree; a submodule is not). */
    boolean isTree() {
      return mode.getObjectType() == Constants.OBJ_TREE;
    }
  }

  private final int maxEntries;
  private final LinkedHashMap<ObjectId, Map<String, Entry>> trees = new LinkedHashMap<>(16, 0.75f, true);
  private int entries; // guarded by trees
  private long reads; // guarded by trees

  TreeIndex() {
    this(MAX_ENTRIES);
  }

  /** An index that keeps at most {@code maxEntries} entries (and always the last tree read). */
  TreeIndex(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /**
   * The entry at {@code path} below {@code tree}, or null when the path is not there; {@code ""} is
   * the tree itself. Like {@link org.eclipse.jgit.treewalk.TreeWalk#forPath}: segments are separated
   * by {@code /} (trailing ones ignored) and compared byte for byte (as UTF-8), and only a tree is
   * descended into. Each tree on the way is judged by JGit's object checker ({@link CheckedTrees})
   * before it is parsed: one no Git writes (a name holding a NUL misreads every later entry) is never
   * searched.
   *
   * @throws CorruptTree naming where a tree on the way is one no Git writes
   * @throws IOException when a tree on the way cannot be read
   */
  Entry find(ObjectReader reader, AnyObjectId tree, String path) throws IOException {
    Entry at = new Entry(FileMode.TREE, tree.copy());
    int end = path.length();
    while (end > 0 && path.charAt(end - 1) == '/') { // trailing slashes go, as in TreeWalk's path filter
      end--;
    }
    String trimmed = path.substring(0, end);
    if (trimmed.isEmpty()) {
      return at;
    }
    String walked = "";
    for (String segment : trimmed.split("/", -1)) {
      if (!at.isTree()) {
        return null;
      }
      byte[] raw = segment.getBytes(StandardCharsets.UTF_8);
      try {
        at = entries(reader, at.id()).get(key(raw, 0, raw.length));
      } catch (CorruptObjectException e) {
        throw new CorruptTree(walked, e);
      }
      if (at == null) {
        return null;
      }
      walked = walked.isEmpty() ? segment : walked + "/" + segment;
    }
    return at;
  }

  /** A tree on the way to a path that JGit's object checker refuses: {@link #at()} is its path ({@code ""}: the root). */
  static final class CorruptTree extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String at;

    CorruptTree(String at, CorruptObjectException cause) {
      super(cause.getMessage(), cause);
      this.at = at;
    }

    /** The refused tree's path from the root tree searched, {@code ""} for that root. */
    String at() {
      return at;
    }
  }

  /** How many trees were read (not found already kept) so far. */
  long reads() {
    synchronized (trees) {
      return reads;
    }
  }

  /** How many entries are kept. */
  int size() {
    synchronized (trees) {
      return entries;
    }
  }

  /** Forgets every tree. */
  void clear() {
    synchronized (trees) {
      trees.clear();
      entries = 0;
    }
  }

  private Map<String, Entry> entries(ObjectReader reader, ObjectId tree) throws IOException {
    synchronized (trees) {
      Map<String, Entry> kept = trees.get(tree);
      if (kept != null) {
        return kept;
      }
    }
    Map<String, Entry> read = new HashMap<>();
    byte[] name = new byte[64];
    for (CanonicalTreeParser p = new CanonicalTreeParser(null, new CheckedTrees(reader), tree); !p.eof(); p.next()) {
      if (name.length < p.getNameLength()) {
        name = new byte[Math.max(p.getNameLength(), 2 * name.length)];
      }
      p.getName(name, 0);
      read.putIfAbsent(key(name, 0, p.getNameLength()), new Entry(p.getEntryFileMode(), p.getEntryObjectId()));
    }
    synchronized (trees) {
      reads++;
      Map<String, Entry> raced = trees.putIfAbsent(tree, read);
      if (raced != null) {
        return raced;
      }
      entries += read.size();
      for (Iterator<Map<String, Entry>> eldest = trees.values().iterator();
           entries > maxEntries && trees.size() > 1 && eldest.hasNext(); ) {
        entries -= eldest.next().size();
        eldest.remove();
      }
      return read;
    }
  }

  /** A name's bytes, one char each: compared byte for byte, whatever their encoding. */
  private static String key(byte[] bytes, int from, int length) {
    return new String(bytes, from, length, StandardCharsets.ISO_8859_1);
  }
}
