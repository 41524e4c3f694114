package dev.gitops.ssh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ResourceId;
import dev.gitops.target.Lockable;
import dev.gitops.target.LockedException;
import dev.gitops.target.TargetException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The per-root lock {@code <root>/.gitops/lock}, following {@link Lockable}'s protocol. The file
 * holds {@code {"holder", "host", "pid", "machine", "since", "token"}} and is created atomically:
 * written whole to a temporary name, then renamed onto {@code lock} only if no lock is there (a
 * link, which fails when it exists), so exactly one taker wins and no reader ever sees an empty or
 * partial lock (a full disk fails the write of the temporary file, which is then deleted). A lock
 * whose holder is provably gone, or older than the caller's lease, or that cannot be read and is
 * older than {@link #UNREADABLE_AFTER} (no taker of this protocol leaves one; older versions could),
 * is taken over, its age measured on the host's clock (see {@link #age}): moved aside, checked to
 * be the one judged, then created again. A lock that is not
 * a file (a symlink, a directory, a FIFO) is such an unreadable lock, named for what it is and never
 * read nor followed, and so is one past {@link BoundedReads#LOCK} bytes (read no further). Release
 * deletes the lock only while it still carries this taker's token; one whose release failed (the
 * connection dropped) is taken over by the next take of the same target, as no one else can prove
 * its holder gone while the process runs. Not part of the public API.
 */
final class LockFile {
  /** An unreadable lock file older than this is taken over: a live taker writes it whole at once. */
  static final Duration UNREADABLE_AFTER = Duration.ofMinutes(1);
  private final Host host;
  private final StateDir state;
  private final String target;
  private final Clock clock;
  private final Set<String> unreleased;

  /**
   * @param host the host
   * @param state the state folder {@code <root>/.gitops}
   * @param target the target's description, for messages
   * @param clock the time recorded in the lock (compared only on a host that tells no file times)
   * @param unreleased the tokens of the locks this target took and failed to release (a connection
   *     dropped): shared by every {@code LockFile} of one target, which takes such a lock over
   */
  public LockFile(Host host, StateDir state, String target, Clock clock, Set<String> unreleased) {
    this.host = host;
    this.state = state;
    this.target = target;
    this.clock = clock;
    this.unreleased = unreleased;
  }

  /**
   * What is in the lock file: its holder, this taker's token, whether it could be read, and when the
   * host's clock says it was written (null when the host does not say).
   */
  private record Current(Lockable.Holder holder, String token, boolean readable, Instant written) {
    /** Stale: its holder is provably gone, or {@code age} is past the lease (unreadable: past a minute). */
    boolean stale(Duration lease, Duration age) {
      return holder.isProvablyGone() || (lease != null && age.compareTo(lease) > 0)
          || (!readable && age.compareTo(UNREADABLE_AFTER) > 0);
    }
  }

  /**
   * Takes the lock.
   *
   * @throws LockedException when someone else holds it (and it is not stale)
   */
  public Lockable.Lock take(String name, Duration lease) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("holder must not be blank");
    }
    try {
      state.ensure();
      Instant now = clock.instant();
      Lockable.Holder me = Lockable.Holder.self(name, now);
      String token = UUID.randomUUID().toString();
      if (create(me, token)) {
        return held(me, token);
      }
      Current current = current();
      boolean ours = current != null && unreleased.contains(current.token());
      if (current != null && !ours && !current.stale(lease, age(current, now))) {
        throw new LockedException(target, current.holder());
      }
      if (current != null) {
        takeOver(current);
        unreleased.remove(current.token());
      }
      if (create(me, token)) {
        return held(me, token);
      }
      Current winner = current();
      throw new LockedException(target, winner != null ? winner.holder()
          : new Lockable.Holder("another taker (released meanwhile)", "", -1, now, ""));
    } catch (IOException e) {
      throw new TargetException(null, target + ": cannot take the lock: " + ResourceId.escape(e.getMessage()), true, e);
    }
  }

  /** Who holds the lock now, empty when it is free. */
  public Optional<Lockable.Holder> holder() {
    try {
      if (!state.exists()) {
        return Optional.empty();
      }
      Current current = current();
      return current == null ? Optional.empty() : Optional.of(current.holder());
    } catch (IOException e) {
      throw new TargetException(null, target + ": cannot read the lock: " + ResourceId.escape(e.getMessage()), true, e);
    }
  }

  /** Deletes the lock whoever holds it; returns who did, empty when it was free. */
  public Optional<Lockable.Holder> forceUnlock() {
    try {
      state.judgeRoot(); // before the look: a root others may write could have the folder swapped right after it
      if (!state.exists()) {
        return Optional.empty();
      }
      Current current = current();
      if (current == null) {
        return Optional.empty();
      }
      host.delete(path());
      return Optional.of(current.holder());
    } catch (IOException e) {
      throw new TargetException(null, target + ": cannot release the lock: " + ResourceId.escape(e.getMessage()), true, e);
    }
  }

  /**
   * How old {@code current} is on the host's clock, the one clock every taker shares (agents' clocks
   * may be hours apart: a lease measured from the holder's recorded {@code since} with this taker's
   * clock let a taker whose clock runs ahead take a lock its holder had just written): from the lock
   * file's modification time to the state folder's, which the create that just failed moved to the
   * host's now (it wrote and removed its temporary file there). Never negative; when the host tells
   * no times, the holder's {@code since} against this taker's {@code now}.
   */
  private Duration age(Current current, Instant now) throws IOException {
    Instant hostNow = current.written() == null ? null : host.stat(state.path()).modified();
    if (hostNow == null) {
      Duration age = Duration.between(current.holder().since(), now);
      return age.isNegative() ? Duration.ZERO : age;
    }
    return hostNow.isAfter(current.written()) ? Duration.between(current.written(), hostNow) : Duration.ZERO;
  }

  /** Moves the stale lock aside and deletes it, or puts it back when it is not the one judged. */
  private void takeOver(Current judged) throws IOException {
    String aside = HostFiles.temporaryName(path());
    try {
      host.rename(path(), aside, false);
    } catch (IOException e) {
      if (host.stat(path()).type() == Host.Stat.Type.ABSENT) {
        return; // released or taken over meanwhile: the create decides
      }
      throw e;
    }
    Current moved = at(aside);
    if (moved != null && !moved.token().equals(judged.token())) {
      try {
        host.rename(aside, path(), false); // a fresh lock slipped in between: it stays
        return;
      } catch (IOException e) {
        // a third taker made a lock meanwhile; the one moved aside is lost either way
      }
    }
    host.delete(aside);
  }

  private boolean create(Lockable.Holder me, String token) throws IOException {
    ObjectNode body = Inventory.json().createObjectNode();
    body.put("holder", me.name());
    body.put("host", me.host());
    body.put("pid", me.pid());
    body.put("machine", me.machine());
    body.put("since", me.since().toString());
    body.put("token", token);
    try {
      state.put("lock", Inventory.json().writeValueAsBytes(body), false);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  /** The lock now, null when there is none. */
  private Current current() throws IOException {
    return at(path());
  }

  /**
   * The lock at {@code path}, null when there is none. Anything there but a file (a symlink, a
   * directory, a FIFO: made by hand) is never read nor followed: it is an unreadable lock, named.
   */
  private Current at(String path) throws IOException {
    Host.Stat stat = host.stat(path);
    if (stat.type() == Host.Stat.Type.ABSENT) {
      return null;
    }
    if (stat.type() != Host.Stat.Type.FILE) {
      return unreadable("a lock that is " + HostFiles.what(stat.type()) + ", not a file (made by hand?)", stat);
    }
    state.checkFile(path.substring(state.path().length() + 1), stat);
    byte[] data = stat.size() > BoundedReads.LOCK ? null : BoundedReads.upTo(host, path, BoundedReads.LOCK + 1);
    if (stat.size() > BoundedReads.LOCK || data != null && data.length > BoundedReads.LOCK) {
      return unreadable("a lock file of more than " + BoundedReads.LOCK + " bytes, more than gitops ever writes"
          + " there (made by hand, or a broken or hostile host?): not read", stat);
    }
    return data == null ? null : parse(data, stat);
  }

  private Current parse(byte[] data, Host.Stat stat) {
    if (data == null) {
      return null;
    }
    try {
      JsonNode n = Inventory.json().readTree(data);
      String name = n.path("holder").asText("");
      if (!n.isObject() || name.isBlank()) {
        throw new IOException("no holder");
      }
      return new Current(new Lockable.Holder(name, n.path("host").asText(""), n.path("pid").asLong(-1),
          Instant.parse(n.path("since").asText()), n.path("machine").asText("")), n.path("token").asText(""), true,
          stat.modified());
    } catch (IOException | RuntimeException e) {
      return unreadable("an unreadable lock file (" + data.length + " bytes, written by an older version or by hand)",
          stat);
    }
  }

  private static Current unreadable(String what, Host.Stat stat) {
    Instant written = stat.modified() != null ? stat.modified() : Instant.EPOCH;
    return new Current(new Lockable.Holder(what, "", -1, written, ""), "", false, stat.modified());
  }

  private Lockable.Lock held(Lockable.Holder me, String token) {
    unreleased.clear(); // the lock is this token's now: every lock this target failed to release is gone
    return new Lockable.Lock() {
      private boolean closed;

      @Override public String holder() { return me.name(); }
      @Override public Instant since() { return me.since(); }

      @Override
      public synchronized void close() {
        if (closed) {
          return;
        }
        closed = true;
        try {
          state.judgeRoot();
          if (!state.exists()) {
            return; // the folder is gone, and the lock with it
          }
          Current now = current();
          if (now != null && now.token().equals(token)) {
            host.delete(path());
          }
        } catch (IOException | RuntimeException e) {
          unreleased.add(token); // the next take of this target knows it is no longer held
          if (e instanceof RuntimeException r) {
            throw r;
          }
          throw new TargetException(null, target + ": cannot release the lock: " + ResourceId.escape(e.getMessage()),
              true, e);
        }
      }

      @Override
      public String toString() {
        return "Lock[" + target + " by " + me + "]";
      }
    };
  }

  private String path() {
    return state.file("lock");
  }
}
