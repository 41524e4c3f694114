package dev.gitops.source;

import dev.gitops.internal.Digests;
import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.ResourceId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.errors.LargeObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Reads the files under a path straight from a commit's tree: no working tree, no checkout.
 * Blobs whose tree mode lets the owner execute them get mode {@code 0755}, others {@code 0644}, as Git's
 * checkout writes them; selected symbolic links are an
 * error naming every one (a target would escape the snapshot's meaning), and so are selected
 * submodules, with their URLs (their files are in another repository, which is not read). A file of at most {@link Content.Bytes#LARGE} bytes is read whole; a larger one is
 * held by reference (its size, and its SHA-256 streamed once; its bytes opened from the repository
 * again when a target writes them), so no file size is limited. A name that is not UTF-8 is an error naming it escaped (its bad bytes as {@code \xHH}): a
 * target would write it under another name. Not part of the public API.
 */
final class TreeReader {
  private static final String ATTRIBUTES = ".gitattributes";

  private TreeReader() {}

  /**
   * The selected files under {@code path} ({@code ""} for the root), keyed by path relative to it,
   * taking the SHA-256 of a blob from {@code digests} (by blob id) when it is there and adding those
   * it computes, and finding the path through {@code trees}.
   *
   * @param where prefix for error messages (source and ref)
   * @param limits the most files and bytes selected, checked before a blob is inflated
   * @throws SourceException when the path is missing, selected entries are symbolic links or submodules,
   *     or the selected files pass a limit
   * @throws IOException when the repository cannot be read
   */
  public static NavigableMap<String, Content.Bytes> read(Repository repo, RevCommit commit, String path,
      Globs globs, String where, BlobDigests digests, TreeIndex trees, ReadLimits limits)
      throws IOException {
    NavigableMap<String, Content.Bytes> files = new TreeMap<>();
    Listing links = Listing.inOrder();
    Listing notUtf8 = Listing.inOrder(); // a tree of a million such names: an error naming them all is megabytes
    Listing submodules = Listing.inOrder();
    List<ObjectId> attributes = new ArrayList<>();
    CheckoutFilters filters = CheckoutFilters.ofTree();
    ReadLimits.Count count = limits.count(where, "GitSource.builder(url).limits");
    try (ObjectReader reader = repo.newObjectReader(); TreeWalk walk = new TreeWalk(repo, new CheckedTrees(reader))) {
      ObjectId root = commit.getTree();
      if (!path.isEmpty()) {
        TreeIndex.Entry at = find(trees, reader, root, path, where);
        if (at != null && at.mode() == org.eclipse.jgit.lib.FileMode.GITLINK) {
          throw new SourceException(Submodules.refusedAsPath(reader, root, where, path));
        }
        if (at == null || !at.isTree()) {
          throw new SourceException(where + ": no directory '" + ResourceId.escape(path) + "' in commit " + commit.name());
        }
        root = at.id();
      }
      ancestorAttributes(reader, commit.getTree(), path, trees, attributes);
      walk.setRecursive(false);
      String rel = "";
      try {
        walk.addTree(root); // each tree is judged as the walk opens it (CheckedTrees), before it is parsed
        while (walk.next()) {
          rel = walk.getPathString();
          checkSafe(path, rel, walk.getNameString(), where);
          org.eclipse.jgit.lib.FileMode mode = walk.getFileMode(0);
          if (walk.getNameString().equals(ATTRIBUTES) && isBlob(mode)) { // applies, selected or not
            attributes.add(walk.getObjectId(0));
          }
          boolean wanted = walk.isSubtree() ? !globs.excludesDirectory(rel) : globs.selects(rel);
          String bad = wanted ? notUtf8(walk.getRawPath()) : null;
          if (bad != null) {
            notUtf8.add("'" + prefixed(path, bad) + "'");
          } else if (walk.isSubtree()) {
            if (wanted) {
              walk.enterSubtree();
            }
          } else if (!wanted) {
            continue;
          } else if (mode == org.eclipse.jgit.lib.FileMode.SYMLINK) {
            links.add(rel);
          } else if (mode == org.eclipse.jgit.lib.FileMode.GITLINK) {
            submodules.add(rel);
          } else {
            FileMode fm = executable(walk.getRawMode(0)) ? FileMode.EXECUTABLE : FileMode.REGULAR;
            String name = ResourceId.escape(prefixed(path, rel));
            long size = reader.getObjectSize(walk.getObjectId(0), Constants.OBJ_BLOB);
            count.add(name, size);
            files.put(rel, content(repo, reader, walk.getObjectId(0), size, fm, name, where, digests, filters, rel));
          }
        }
      } catch (CorruptObjectException | ArrayIndexOutOfBoundsException e) { // JGit's tree parser, on a tree cut short
        throw corrupt(where, path, rel, e);
      } catch (LargeObjectException e) { // a tree past 2 GiB (CheckedTrees) or the heap: unchecked in JGit
        throw tooLarge(where, prefixed(path, rel), e);
      }
      filters.readFilters(reader, commit.getTree(), path, files.keySet(), attributes);
      if (!submodules.isEmpty()) {
        throw new SourceException(Submodules.refused(reader, commit.getTree(), where, path, submodules));
      }
    } catch (LargeObjectException e) { // on the way to the path, or its attributes: named by the path
      throw tooLarge(where, path, e);
    }
    if (!notUtf8.isEmpty()) {
      boolean one = notUtf8.count() == 1;
      throw new SourceException(where + ": " + notUtf8.names(name -> name) + (one ? " has a name that is"
          : " have names that are") + " not UTF-8 (bad bytes shown as \\xHH), which no target writes byte for byte:"
          + " rename " + (one ? "it" : "them") + " in the repository");
    }
    if (!links.isEmpty()) {
      throw new SourceException(symbolicLinks(where, path, links));
    }
    String unconverted = filters.refusal(where, path);
    if (unconverted != null) {
      throw new SourceException(unconverted);
    }
    return files;
  }

  /**
   * The error for the selected symbolic links: every one named (the first {@value Listing#LISTED}, then a
   * count), and what helps — the source's exclude globs, relative to its path. A
   * {@code .gitops.yaml}'s {@code exclude:} does not: it applies when the read files are loaded.
   */
  static String symbolicLinks(String where, String path, Listing links) {
    boolean one = links.count() == 1;
    return where + ": " + (one ? "a symbolic link is" : links.count() + " symbolic links are") + " not supported: "
        + listed(path, links) + ". Remove " + (one ? "it" : "them") + " from the repository, or leave "
        + (one ? "it" : "them") + excluded(links.first());
  }

  /**
   * The files {@code rels} lists, relative to {@code path}, named for an error (each {@linkplain #quoted
   * quoted}, followed by its detail): the first {@value Listing#LISTED}, then how many more.
   */
  static String listed(String path, Listing rels) {
    return rels.names(rel -> quoted(path, rel));
  }

  /** {@code rel}, relative to {@code path}, as an error names it: prefixed with {@code path}, escaped, quoted. */
  static String quoted(String path, String rel) {
    return "'" + ResourceId.escape(prefixed(path, rel)) + "'";
  }

  /** The way out for selected files a source cannot read, {@code first} the example: its exclude globs. */
  static String excluded(String first) {
    return excludedBy("GitSource.builder(url).exclude(\"" + ResourceId.escape(first) + "\")");
  }

  /** The way out for selected files a source cannot read: its exclude globs, {@code example} the call setting them. */
  static String excludedBy(String example) {
    return " out of the source with its exclude globs, relative to its path (" + example + "); a .gitops.yaml"
        + " exclude: does not help, it applies after the files are read";
  }

  /**
   * {@link TreeIndex#find}, a corrupt tree on the way refused {@linkplain #corrupt named}, one too large
   * to read {@linkplain #tooLarge named} by the path looked for.
   */
  static TreeIndex.Entry find(TreeIndex trees, ObjectReader reader, ObjectId tree, String path, String where)
      throws IOException {
    try {
      return trees.find(reader, tree, path);
    } catch (TreeIndex.CorruptTree e) {
      throw corrupt(where, "", e.at(), (Exception) e.getCause());
    } catch (LargeObjectException e) {
      throw tooLarge(where, path, e);
    }
  }

  /**
   * A Git object too large to read (JGit's unchecked {@link LargeObjectException}: a tree past a Java
   * array's 2 GiB, or one the heap cannot hold) named at {@code at}.
   */
  private static SourceException tooLarge(String where, String at, LargeObjectException e) {
    return new SourceException(where + ": cannot read '" + ResourceId.escape(at.isEmpty() ? "." : at) + "' from Git: "
        + ResourceId.escape(String.valueOf(e.getMessage())) + " (a Git tree is read whole, and may hold up to 2 GiB)", e);
  }

  /** Adds the {@code .gitattributes} blobs of the directories above {@code path}, the root's first. */
  private static void ancestorAttributes(ObjectReader reader, ObjectId tree, String path, TreeIndex trees,
      List<ObjectId> into) throws IOException {
    String dir = "";
    for (String segment : path.isEmpty() ? new String[0] : path.split("/")) {
      TreeIndex.Entry file = trees.find(reader, tree, dir + ATTRIBUTES);
      if (file != null && isBlob(file.mode())) {
        into.add(file.id());
      }
      dir = dir + segment + "/";
    }
  }

  /**
   * A tree no Git writes (a name holding a NUL, an entry cut short, two entries of one name): named
   * at its path, and no entry of it is read.
   */
  private static SourceException corrupt(String where, String path, String rel, Exception e) {
    String at = rel.isEmpty() ? (path.isEmpty() ? "." : path) : prefixed(path, rel);
    return new SourceException(where + ": corrupt tree object at '" + ResourceId.escape(at)
        + "' (a tree no Git writes; nothing of it is read): "
        + ResourceId.escape(String.valueOf(e.getMessage())), e);
  }

  /**
   * True when a checkout writes a file of the tree mode {@code rawMode} executable: when the mode lets its
   * owner execute it, as Git's checkout takes it (read-cache's {@code ce_permissions}: {@code 0755} when
   * {@code mode & 0100}, else {@code 0644}). A mode no Git writes but fsck only warns about ({@code 100645},
   * {@code 100610}) is {@code 0644} to git 2.39's checkout, where JGit's {@code FileMode.fromBits} makes every
   * execute bit {@code EXECUTABLE_FILE}.
   */
  static boolean executable(int rawMode) {
    return (rawMode & 0100) != 0;
  }

  /**
   * True when an entry of {@code mode} names a blob: a file, or a symbolic link (its target as bytes).
   * Git's checkout reads a {@code .gitattributes} from the index, whatever its mode, when its object is a
   * blob (attr.c {@code read_attr_from_index}, read-cache.c {@code read_blob_data_from_index}); only a
   * working tree's is opened {@code O_NOFOLLOW}.
   */
  private static boolean isBlob(org.eclipse.jgit.lib.FileMode mode) {
    return mode == org.eclipse.jgit.lib.FileMode.REGULAR_FILE || mode == org.eclipse.jgit.lib.FileMode.EXECUTABLE_FILE
        || mode == org.eclipse.jgit.lib.FileMode.SYMLINK;
  }

  /**
   * A selected file's content, checked by {@code filters}: one held by reference is checked by its
   * first bytes (a Git LFS pointer, git-crypt's header) while its SHA-256 is streamed, and its digest kept in {@code digests} only when
   * it has none, so a kept digest means a checked blob.
   */
  private static Content.Bytes content(Repository repo, ObjectReader reader, ObjectId id, long size, FileMode mode,
      String name, String where, BlobDigests digests, CheckoutFilters filters, String rel)
      throws IOException {
    if (size <= Content.Bytes.LARGE) {
      String known = digests.get(id);
      if (known != null) {
        // kept only for a blob that passed the checks below (never an LFS pointer nor an encrypted blob):
        // its bytes are read when a diff or a write needs them, not for a plan that finds the file equal
        ObjectId blob = id.copy();
        return Content.bytesOnDemand(size, known, mode, () -> BlobStream.open(repo, blob));
      }
    }
    ObjectLoader loader = reader.open(id);
    try {
      if (size <= Content.Bytes.LARGE) {
        byte[] data = loader.getCachedBytes((int) Content.Bytes.LARGE); // streamed past JGit's threshold too
        if (filters.check(rel, data, data.length)) {
          return Content.bytes(data, mode); // refused with the others once the tree is read
        }
        String sha256 = Digests.ofBytes(data);
        digests.put(id, sha256);
        return Content.bytes(data, mode, sha256);
      }
      ObjectId blob = id.copy();
      String sha256 = digests.get(blob);
      if (sha256 == null) {
        byte[] head = new byte[LfsPointer.READ_LIMIT];
        sha256 = sha256(loader.openStream(), head);
        if (!filters.check(rel, head, size)) {
          digests.put(blob, sha256);
        }
      }
      return Content.bytes(size, sha256, mode, () -> BlobStream.open(repo, blob));
    } catch (LargeObjectException e) {
      throw new SourceException(where + ": cannot read '" + name + "' (" + size + " bytes): " + e.getMessage(), e);
    }
  }

  /** The SHA-256 of the bytes {@code in} gives to its end, {@code sha256:<hex>}, read a buffer at a time; closes it. */
  public static String sha256(InputStream in) throws IOException {
    return sha256(in, new byte[0]);
  }

  /** {@link #sha256(InputStream)}, copying the first bytes read into {@code head} (as many as there are). */
  static String sha256(InputStream in, byte[] head) throws IOException {
    MessageDigest d = Digests.sha256();
    byte[] buf = new byte[64 * 1024];
    long read = 0;
    try (in) {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        if (read < head.length) {
          System.arraycopy(buf, 0, head, (int) read, (int) Math.min(n, head.length - read));
        }
        read += n;
        d.update(buf, 0, n);
      }
    }
    return Digests.format(d);
  }

  /**
   * Null when {@code raw} is UTF-8; else the name printable, valid parts {@linkplain ResourceId#escape
   * escaped}, each bad byte as {@code \xHH}.
   */
  static String notUtf8(byte[] raw) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(raw);
    CharBuffer out = CharBuffer.allocate(raw.length + 1);
    StringBuilder printed = new StringBuilder();
    boolean bad = false;
    while (true) {
      CoderResult r = decoder.decode(in, out, true);
      printed.append(ResourceId.escape(out.flip().toString()));
      out.clear();
      if (!r.isError()) {
        break;
      }
      bad = true;
      for (int i = 0; i < r.length(); i++) {
        printed.append(String.format("\\x%02x", in.get() & 0xff));
      }
    }
    return bad ? printed.toString() : null;
  }

  /**
   * Rejects paths that could escape a target root ({@code .}, {@code ..}, a backslash, an entry
   * {@code name} holding a {@code /} or a NUL, which only a tree written by hand has: read as a path,
   * {@code a/b} would stand for another file) or write into a repository's own folder: {@code .git}
   * in any case, with trailing dots or spaces (which Windows drops), and every name a host folds into
   * it ({@link GitNames}), as Git's checkout and fsck refuse them (a hook written there would run).
   */
  static void checkSafe(String path, String rel, String name, String where) {
    if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
      throw unsafe(where, path, rel, "");
    }
    for (String segment : rel.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.indexOf('\\') >= 0) {
        throw unsafe(where, path, rel, "");
      }
      if (withoutTrailingDotsOrSpaces(segment).equalsIgnoreCase(".git")) {
        throw unsafe(where, path, rel, ": a folder named .git (in any case) is a repository's own, which Git never"
            + " checks out");
      }
      if (GitNames.isDotGit(segment)) {
        throw unsafe(where, path, rel, ": a name a host may write as .git, a repository's own folder, which Git"
            + " never checks out");
      }
    }
  }

  /** The error of an unsafe path, escaped only then (not for each of a tree's names, which are safe). */
  private static SourceException unsafe(String where, String path, String rel, String why) {
    return new SourceException(where + ": unsafe path '" + ResourceId.escape(prefixed(path, rel)) + "' in tree" + why);
  }

  /** {@code segment} without the dots and spaces it ends with (Windows drops them), by hand: a regular expression compiled for each of a tree's names cost a no-op plan of 1,000 files 8 ms. */
  private static String withoutTrailingDotsOrSpaces(String segment) {
    int end = segment.length();
    while (end > 0 && (segment.charAt(end - 1) == '.' || segment.charAt(end - 1) == ' ')) {
      end--;
    }
    return segment.substring(0, end);
  }

  private static String prefixed(String path, String rel) {
    return path.isEmpty() ? rel : path + "/" + rel;
  }
}
