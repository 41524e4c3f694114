package dev.gitops.source;

import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jgit.errors.LargeObjectException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The reading verbs of a {@link GitSource}: resolve a ref to a revision (one ref advertisement,
 * fetching only a missing commit), read a revision's files, verify signatures, and turn failures into
 * {@link SourceException}s naming the URL (credentials masked) and the ref. A transport failure is
 * reported; any other read failure rebuilds the cache once and retries. Thread-safe as the cache and
 * the remote are.
 */
final class GitReader {
  /** What JGit's {@code RevWalk} reads of a commit or tag past its stream threshold ({@code getCachedBytes}, 5 MiB). */
  private static final int WHOLE_LIMIT = 5 << 20;
  private final GitSourceConfig config;
  private final GitCache cache;
  private final Remote remote;
  private final StrictKnownHosts knownHosts;
  private final Globs globs;
  private final AtomicLong polls = new AtomicLong();
  private final AtomicLong fetches = new AtomicLong();

  GitReader(GitSourceConfig config, GitCache cache, Remote remote, StrictKnownHosts knownHosts) {
    this.config = config;
    this.cache = cache;
    this.remote = remote;
    this.knownHosts = knownHosts;
    this.globs = Globs.of(config.include(), config.exclude());
  }

  /** Ref advertisements read so far. */
  long polls() {
    return polls.get();
  }

  /** Fetches that downloaded objects (or tried to) so far. */
  long fetches() {
    return fetches.get();
  }

  Revision resolve(String ref) {
    knownHosts.reset();
    try {
      return recovering(ref, () -> {
        Repository repo = cache.open();
        if (RefResolver.isObjectId(ref)) {
          return revision(repo, ensure(repo, ObjectId.fromString(ref), ref), ref);
        }
        Map<String, Ref> refs = remote.refs(repo);
        polls.incrementAndGet();
        Optional<RefResolver.Resolved> hit = RefResolver.resolve(refs, ref);
        if (hit.isEmpty()) {
          throw new SourceException(where(ref) + ": no branch, tag or semver match named '" + ref
              + "' (remote has " + names(refs) + ")");
        }
        return revision(repo, ensure(repo, hit.get().id(), ref), ref);
      });
    } catch (IllegalArgumentException e) {
      throw new SourceException(where(ref) + ": " + e.getMessage(), e);
    }
  }

  Snapshot fetch(Revision revision) {
    knownHosts.reset();
    String ref = revision.ref().isEmpty() ? revision.id() : revision.ref();
    return recovering(ref, () -> read(revision, ref));
  }

  /**
   * The id of the tree at the configured path in {@code revision} ({@code "absent"} when the path is
   * not in it), fetching the commit only when it is not in the cache yet.
   */
  String contentKey(Revision revision) {
    String ref = revision.ref().isEmpty() ? revision.id() : revision.ref();
    if (!RefResolver.isObjectId(revision.id())) {
      throw new SourceException(where(ref) + ": '" + revision.id() + "' is not a commit id");
    }
    return recovering(ref, () -> {
      Repository repo = cache.open();
      ObjectId id = ensure(repo, ObjectId.fromString(revision.id()), ref);
      try (ObjectReader reader = repo.newObjectReader(); RevWalk walk = new RevWalk(reader)) {
        RevCommit commit = commit(walk, id, ref);
        TreeIndex.Entry at = TreeReader.find(cache.trees(), reader, commit.getTree(), config.path(), where(ref));
        return at == null ? "absent" : at.id().name();
      }
    });
  }

  /**
   * Runs {@code work}; a transport failure becomes a {@link SourceException}, any other read failure
   * (a pack or object that turned out corrupt) rebuilds the cache once and runs {@code work} again.
   */
  private <T> T recovering(String ref, GitCache.IoWork<T> work) {
    try {
      return work.run();
    } catch (TransportException e) {
      throw failure(ref, e);
    } catch (IOException e) {
      try {
        cache.locked(cache::rebuild);
        return work.run();
      } catch (IOException again) {
        throw failure(ref, again);
      }
    }
  }

  private Snapshot read(Revision revision, String ref) throws IOException {
    if (!RefResolver.isObjectId(revision.id())) {
      throw new SourceException(where(ref) + ": '" + revision.id() + "' is not a commit id");
    }
    Repository repo = cache.open();
    ObjectId id = ensure(repo, ObjectId.fromString(revision.id()), ref);
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit commit = commit(walk, id, ref);
      Revision full = verified(repo, commit, ref);
      return new Snapshot(full, TreeReader.read(repo, commit, config.path(), globs, where(ref), cache.digests(),
          cache.trees(), config.limits()));
    }
  }

  /** Makes sure {@code id} is in the cache, fetching (under the cache lock) only when it is not. */
  private ObjectId ensure(Repository repo, ObjectId id, String ref) throws IOException {
    if (repo.getObjectDatabase().has(id)) {
      return id;
    }
    cache.locked(() -> {
      if (!repo.getObjectDatabase().has(id)) {
        fetches.incrementAndGet();
        remote.fetch(repo, config.shallow() ? 1 : 0);
      }
      return null;
    });
    if (!repo.getObjectDatabase().has(id)) {
      throw new SourceException(where(ref) + ": object " + id.name() + " not found on the remote");
    }
    return id;
  }

  private Revision revision(Repository repo, ObjectId id, String ref) throws IOException {
    try (RevWalk walk = new RevWalk(repo)) {
      return verified(repo, commit(walk, id, ref), ref);
    }
  }

  /**
   * The commit {@code id} names, through any chain of annotated tags; a ref on a tree or a blob is
   * refused naming what it is, not blamed on the cache (JGit's {@code IncorrectObjectTypeException}
   * is an {@link IOException}, which would rebuild it).
   */
  private RevCommit commit(RevWalk walk, ObjectId id, String ref) throws IOException {
    RevObject named;
    RevObject peeled;
    try {
      named = walk.parseAny(id);
      peeled = walk.peel(named);
    } catch (LargeObjectException e) {
      throw tooLarge(walk.getObjectReader(), id, ref, e);
    }
    if (peeled instanceof RevCommit commit) {
      return commit;
    }
    throw new SourceException(where(ref) + ": " + id.name() + " is a " + (peeled == named ? "" : "tag of a ")
        + Constants.typeString(peeled.getType()) + ", not a commit: a ref to deploy names a commit, or an"
        + " annotated tag of one");
  }

  private Revision verified(Repository repo, RevCommit commit, String ref) throws IOException {
    if (!config.verify().isEmpty()) {
      try {
        SignatureCheck.check(repo, commit, config.verify());
      } catch (IllegalStateException refused) {
        throw new SourceException(where(ref) + ": signature verification failed: " + refused.getMessage());
      } catch (LargeObjectException e) { // a tag on the commit, peeled or parsed
        try (ObjectReader reader = repo.newObjectReader()) {
          throw tooLarge(reader, commit, ref, e);
        }
      }
    }
    String author = commit.getAuthorIdent().getName() + " <" + commit.getAuthorIdent().getEmailAddress() + ">";
    return new Revision(commit.name(), ref, author, Instant.ofEpochSecond(commit.getCommitTime()),
        commit.getFullMessage());
  }

  /**
   * The refusal of a commit or annotated tag JGit's unchecked {@link LargeObjectException} says is too
   * large to read whole (the object it names, else {@code id}): {@code RevWalk} reads one past JGit's
   * stream threshold ({@code core.streamFileThreshold}, 50 MiB by default) only up to 5 MiB. Refused
   * rather than read in part: a signature covers every byte, and a revision's message would be cut
   * without a word.
   */
  private SourceException tooLarge(ObjectReader reader, ObjectId id, String ref, LargeObjectException e)
      throws IOException {
    ObjectId named = e.getObjectId() != null ? e.getObjectId() : id;
    ObjectLoader object = reader.open(named); // its header only: type and size
    String what = object.getType() == Constants.OBJ_TAG ? "annotated tag" : Constants.typeString(object.getType());
    return new SourceException(where(ref) + ": the " + what + " " + named.name() + " is " + object.getSize()
        + " bytes, more than JGit reads of a commit or an annotated tag (" + WHOLE_LIMIT + " bytes once past"
        + " its stream threshold, core.streamFileThreshold): deploy a commit whose message and tags are shorter", e);
  }

  private SourceException failure(String ref, IOException e) {
    String rejection = knownHosts.lastRejection();
    String why = rejection != null ? rejection : config.url().scrub(e.getMessage(), config.secrets());
    String kind = e instanceof TransportException ? "cannot reach or read the remote" : "cannot read the cache "
        + cache.directory();
    return new SourceException(where(ref) + ": " + kind + ": " + why, e);
  }

  private String where(String ref) {
    return "git " + config.url().masked() + " (ref " + ref + ")";
  }

  private static String names(Map<String, Ref> refs) {
    TreeSet<String> names = new TreeSet<>();
    refs.keySet().stream().filter(n -> n.startsWith("refs/heads/") || n.startsWith("refs/tags/"))
        .filter(n -> !n.endsWith("^{}")).limit(20).forEach(n -> names.add(n.replaceFirst("^refs/(heads|tags)/", "")));
    return names.isEmpty() ? "no branches or tags" : String.join(", ", names);
  }
}
