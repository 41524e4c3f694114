package dev.gitops.source;

import dev.gitops.testing.git.GitRepo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.lib.TreeFormatter;

/**
 * Trees and commits written object by object, as any Git client can push them: names Git's own
 * porcelain refuses to check out, symbolic links and gitlinks, without a working tree.
 */
final class RawTrees implements AutoCloseable {
  private final GitRepo repo;
  private final Repository git;
  private final ObjectInserter in;

  private RawTrees(GitRepo repo) {
    this.repo = repo;
    this.git = repo.git().getRepository();
    this.in = git.newObjectInserter();
  }

  /** A new repository in {@code dir} to write raw trees into; closing this closes it. */
  static RawTrees init(Path dir) {
    return new RawTrees(GitRepo.init(dir));
  }

  /** A source of this repository's {@code main}, its cache in {@code cache}. */
  GitSource.Builder source(Path cache) {
    return GitSource.builder(repo.url()).ref("main").cache(cache);
  }

  /** One tree entry: a raw name, its mode and the object it names. */
  record Entry(byte[] name, FileMode mode, ObjectId id) {}

  static Entry entry(String name, FileMode mode, ObjectId id) {
    return new Entry(name.getBytes(StandardCharsets.UTF_8), mode, id);
  }

  ObjectId blob(String text) throws IOException {
    return blob(text.getBytes(StandardCharsets.UTF_8));
  }

  ObjectId blob(byte[] data) throws IOException {
    return in.insert(Constants.OBJ_BLOB, data);
  }

  /** A tree of {@code entries}, sorted as Git sorts them (a tree's name as if it ended in '/'). */
  ObjectId tree(Entry... entries) throws IOException {
    List<Entry> sorted = Arrays.stream(entries).sorted(Comparator.comparing(RawTrees::sortKey,
        Arrays::compareUnsigned)).toList();
    TreeFormatter tree = new TreeFormatter();
    for (Entry e : sorted) {
      tree.append(e.name(), e.mode(), e.id());
    }
    return in.insert(tree);
  }

  /**
   * A tree of files named by their octal mode ({@code f100645}), each of that very mode and the blob
   * {@code id}: modes no Git writes and fsck only warns about ({@code badFilemode}), which
   * {@link TreeFormatter} cannot write (it takes JGit's modes, which round {@code 100645} to {@code 100755}).
   */
  ObjectId treeOfModes(ObjectId id, String... octalModes) throws IOException {
    java.io.ByteArrayOutputStream tree = new java.io.ByteArrayOutputStream();
    byte[] raw = new byte[Constants.OBJECT_ID_LENGTH];
    id.copyRawTo(raw, 0);
    for (String mode : Arrays.stream(octalModes).sorted().toList()) { // same length: sorted as Git sorts names
      tree.writeBytes((mode + " f" + mode + "\0").getBytes(StandardCharsets.US_ASCII));
      tree.writeBytes(raw);
    }
    return in.insert(Constants.OBJ_TREE, tree.toByteArray());
  }

  /** A tree holding {@code id} at {@code path} ({@code /}-separated), as a file of {@code mode}. */
  ObjectId at(String path, FileMode mode, ObjectId id) throws IOException {
    int slash = path.indexOf('/');
    if (slash < 0) {
      return tree(entry(path, mode, id));
    }
    return tree(entry(path.substring(0, slash), FileMode.TREE, at(path.substring(slash + 1), mode, id)));
  }

  /** Commits {@code tree} on {@code refs/heads/main} (forced) and flushes; returns the commit id. */
  ObjectId commit(ObjectId tree) throws IOException {
    return commit(tree, "raw", "refs/heads/main");
  }

  /** Commits {@code tree} with {@code message} on {@code ref} (forced) and flushes; returns the commit id. */
  ObjectId commit(ObjectId tree, String message, String ref) throws IOException {
    CommitBuilder commit = new CommitBuilder();
    commit.setTreeId(tree);
    PersonIdent me = new PersonIdent("Test Author", "author@example.com");
    commit.setAuthor(me);
    commit.setCommitter(me);
    commit.setMessage(message);
    return point(ref, in.insert(commit));
  }

  /** An annotated tag {@code name} of {@code commit} with {@code message}, flushed; returns the tag's id. */
  ObjectId tag(String name, ObjectId commit, String message) throws IOException {
    TagBuilder tag = new TagBuilder();
    tag.setObjectId(commit, Constants.OBJ_COMMIT);
    tag.setTag(name);
    tag.setTagger(new PersonIdent("Test Author", "author@example.com"));
    tag.setMessage(message);
    return point(Constants.R_TAGS + name, in.insert(tag));
  }

  private ObjectId point(String ref, ObjectId id) throws IOException {
    in.flush();
    RefUpdate update = git.updateRef(ref);
    update.setNewObjectId(id);
    update.forceUpdate();
    return id;
  }

  /** The repository written into. */
  Repository repository() {
    return git;
  }

  ObjectInserter inserter() {
    return in;
  }

  @Override
  public void close() {
    in.close();
    repo.close();
  }

  private static byte[] sortKey(Entry e) {
    if (e.mode() != FileMode.TREE) {
      return e.name();
    }
    byte[] key = Arrays.copyOf(e.name(), e.name().length + 1);
    key[key.length - 1] = '/';
    return key;
  }
}
