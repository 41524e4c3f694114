package dev.gitops.source;

import dev.gitops.model.ResourceId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The selected files whose committed bytes a checkout would not write as they are, and which no
 * source can give: a Git LFS pointer as git-lfs reads one ({@link LfsPointer}: the file is on an LFS
 * server, which is not read), a file
 * git-crypt encrypted (starting with its header, {@code NUL GITCRYPT NUL}), and a file whose
 * {@code .gitattributes} name a {@code filter=} driver other than {@code lfs} (its smudge command
 * is configured outside the repository, so what a checkout writes is unknown). Collected while a tree
 * is read, then refused together, each kind naming its files. A folder's files are checked by their
 * bytes alone, {@code .gitattributes} not read: a pointer or ciphertext there is what a checkout without
 * {@code git lfs}, or not unlocked, wrote whatever the attributes say, and any other file is what the
 * checkout's filters (if any ran) gave. Not thread-safe. Not part of the public API.
 */
final class CheckoutFilters {
  /** What git-crypt's {@code clean} writes first, before its 12-byte nonce and the ciphertext. */
  static final byte[] GIT_CRYPT = "\0GITCRYPT\0".getBytes(StandardCharsets.US_ASCII);
  /**
   * The shortest file git-crypt decrypts: its header and nonce. Its {@code smudge} reads this many
   * bytes and passes a file through as not encrypted when it is shorter or starts otherwise.
   */
  static final int GIT_CRYPT_MIN = GIT_CRYPT.length + 12;
  /** Git ignores a {@code .gitattributes} of this many bytes or more (100 MiB, {@code ATTR_MAX_FILE_SIZE} in attr.c). */
  private static final int ATTRIBUTES_MAX = 100 << 20;
  private static final String ATTRIBUTES = ".gitattributes";

  private final boolean folder;
  private final Listing pointers = Listing.sorted();
  private final Listing encrypted = Listing.sorted();
  private final Listing filtered = Listing.sorted();
  private final FilterAttributes attributes = new FilterAttributes();

  private CheckoutFilters(boolean folder) {
    this.folder = folder;
  }

  /** For the blobs of a commit's tree, which a checkout would convert ({@link GitSource}). */
  static CheckoutFilters ofTree() {
    return new CheckoutFilters(false);
  }

  /**
   * For the files of a folder ({@link DirectorySource}), often a checkout made without {@code git lfs}
   * or not unlocked by git-crypt: what helps is to finish that checkout.
   */
  static CheckoutFilters ofFolder() {
    return new CheckoutFilters(true);
  }

  /**
   * True when a file of {@code size} bytes whose first bytes are {@code head} is one git-crypt decrypts:
   * its header, then at least a nonce's bytes.
   */
  static boolean encrypted(byte[] head, long size) {
    return size >= GIT_CRYPT_MIN && head.length >= GIT_CRYPT.length
        && Arrays.equals(head, 0, GIT_CRYPT.length, GIT_CRYPT, 0, GIT_CRYPT.length);
  }

  /**
   * Checks one selected file of {@code size} bytes by {@code head}, its bytes (a large file's first
   * {@link LfsPointer#READ_LIMIT}, as many as git-lfs reads); {@code rel} is its path relative to the
   * source's path.
   *
   * @return true when the file is recorded: a pointer or encrypted
   */
  boolean check(String rel, byte[] head, long size) {
    Optional<LfsPointer> pointer = LfsPointer.parse(head);
    if (pointer.isPresent()) {
      pointers.add(rel, " (" + pointer.get() + ")");
    } else if (encrypted(head, size)) {
      encrypted.add(rel);
    } else {
      return false;
    }
    return true;
  }

  /**
   * Records the {@code filter=} driver the commit's attributes give a selected file, unless it is one
   * whose smudge passes through what it did not write, so that the committed bytes are what any
   * checkout gives unless they are its format, which {@link #check} finds: {@code lfs} and
   * {@code git-crypt}.
   */
  void filtered(String rel, String driver) {
    if (!driver.equals("lfs") && !driver.equals("git-crypt")) {
      filtered.add(rel, " (filter=" + driver + ")");
    }
  }

  /**
   * The error naming every file a checkout would write otherwise (the first {@value Listing#LISTED}
   * of each kind, then a count), with what helps; null when there is none.
   */
  String refusal(String where, String path) {
    List<String> parts = new ArrayList<>();
    if (!pointers.isEmpty()) {
      boolean one = pointers.count() == 1;
      parts.add(TreeReader.listed(path, pointers) + (one ? " is a Git LFS pointer" : " are Git LFS pointers")
          + ", not the file: " + (folder ? "the folder holds what a checkout without Git LFS writes"
          : "Git LFS is not supported (no LFS object is fetched; JGit's LFS module is not among the dependencies)")
          + ", so a target would get the pointer's three lines. " + (folder ? "Fetch the files into the checkout (git"
          + " lfs pull; git lfs install first where Git LFS is missing)" : "Keep " + (one ? "it" : "them") + " out of"
          + " LFS (git lfs migrate export --include=<path>)") + ", or leave " + (one ? "it" : "them")
          + excluded(pointers.first()));
    }
    if (!encrypted.isEmpty()) {
      boolean one = encrypted.count() == 1;
      parts.add(TreeReader.listed(path, encrypted) + (one ? " is" : " are") + " encrypted by git-crypt (its header),"
          + " which this source does not decrypt: a target would get ciphertext. " + (folder ? "Decrypt the checkout"
          + " (git-crypt unlock), or leave " : "Leave ") + (one ? "it" : "them") + excluded(encrypted.first()));
    }
    if (!filtered.isEmpty()) {
      boolean one = filtered.count() == 1;
      parts.add(TreeReader.listed(path, filtered) + (one ? " has" : " have") + " a .gitattributes filter driver, whose"
          + " command a checkout runs and this source does not (it is configured outside the repository): the"
          + " committed bytes may not be the file. Unset it for " + (one ? "that path" : "those paths")
          + " (<path> -filter) if the committed bytes are the file, or leave " + (one ? "it" : "them")
          + excluded(filtered.first()));
    }
    if (attributes.refusal() != null) {
      parts.add(attributes.refusal());
    }
    return parts.isEmpty() ? null : where + ": " + String.join("; ", parts);
  }

  private String excluded(String first) {
    return folder ? TreeReader.excludedBy("DirectorySource.of(root, path, include, List.of(\"" + ResourceId.escape(first)
        + "\"))") : TreeReader.excluded(first);
  }

  /**
   * Records the {@code filter=} drivers the commit's {@code .gitattributes} give the files {@code rels}
   * (relative to {@code path}), as a checkout by any Git computes them ({@link FilterAttributes}: every
   * {@code .gitattributes} from the root down, the nearer and the later line winning, macros expanded),
   * or, when those files or their lines against the selected files pass {@link FilterAttributes}' bounds,
   * a refusal naming the file, before any line is matched.
   * Nothing outside the commit counts (no {@code info/attributes}, no global file: this machine's
   * settings are not the repository's). Walks only when one of {@code files}, the {@code .gitattributes}
   * blobs that can apply, mentions {@code filter}: a repository without filters pays one scan of those
   * files. The walk enters only the folders on the way to a file of {@code rels}, the trees the source
   * read, each judged again as it is inflated ({@link CheckedTrees}), and reads a {@code .gitattributes}
   * only when it is one of {@code files} ({@link AttributeBlobs}): a tree the source leaves out, however
   * hostile, is never opened. Each line is matched in time bounded by its length times the path's
   * ({@link dev.gitops.internal.glob.Wildmatch}; JGit's attribute rules take time exponential in a pattern's stars).
   *
   * @throws org.eclipse.jgit.errors.CorruptObjectException when a tree on the way is one no Git writes
   */
  void readFilters(ObjectReader reader, ObjectId tree, String path, Set<String> rels, List<ObjectId> files)
      throws IOException {
    if (rels.isEmpty() || !mentionFilter(reader, files)) {
      return;
    }
    String prefix = path.isEmpty() ? "" : path + "/";
    int depth = path.isEmpty() ? 0 : path.split("/", -1).length; // of the entries in the source's folder
    Set<String> folders = new HashSet<>();
    for (String rel : rels) {
      String full = prefix + rel;
      for (int slash = full.indexOf('/'); slash >= 0; slash = full.indexOf('/', slash + 1)) {
        folders.add(full.substring(0, slash));
      }
    }
    List<String> selected = new ArrayList<>();
    try (ObjectReader checked = new AttributeBlobs(new CheckedTrees(reader), new HashSet<>(files), ATTRIBUTES_MAX);
        TreeWalk walk = new TreeWalk(checked)) {
      walk.addTree(tree);
      walk.setRecursive(false);
      while (walk.next()) {
        String at = walk.getPathString();
        if (walk.isSubtree()) {
          if (folders.contains(at)) {
            walk.enterSubtree();
          }
          continue;
        }
        if (walk.getNameString().equals(ATTRIBUTES)) { // by name, as Git; AttributeBlobs gives only known blobs
          String folder = at.substring(0, Math.max(at.length() - ATTRIBUTES.length() - 1, 0));
          if (!attributes.add(folder, checked.open(walk.getObjectId(0), Constants.OBJ_BLOB).getCachedBytes())) {
            return; // past the bound on lines: refused
          }
        }
        if (walk.getDepth() >= depth && at.startsWith(prefix) && rels.contains(at.substring(prefix.length()))) {
          selected.add(at);
        }
      }
    }
    Map<String, String> drivers = attributes.drivers(selected); // every .gitattributes on the way known by now
    if (drivers != null) {
      for (String at : selected) {
        if (drivers.containsKey(at)) {
          filtered(at.substring(prefix.length()), drivers.get(at));
        }
      }
    }
  }

  /**
   * True when one of {@code files} holds the word {@code filter}; one of {@value #ATTRIBUTES_MAX} bytes
   * or more is not read, as Git does not read it.
   */
  private static boolean mentionFilter(ObjectReader reader, List<ObjectId> files) throws IOException {
    byte[] word = "filter".getBytes(StandardCharsets.US_ASCII);
    for (ObjectId id : files) {
      ObjectLoader blob = reader.open(id, Constants.OBJ_BLOB);
      if (blob.getSize() >= ATTRIBUTES_MAX) {
        continue; // attr.c: "ignoring overly large gitattributes blob"
      }
      byte[] text = blob.getCachedBytes(ATTRIBUTES_MAX); // past JGit's stream threshold too (50 MiB)
      for (int i = 0; i + word.length <= text.length; i++) {
        if (Arrays.equals(text, i, i + word.length, word, 0, word.length)) {
          return true;
        }
      }
    }
    return false;
  }
}
