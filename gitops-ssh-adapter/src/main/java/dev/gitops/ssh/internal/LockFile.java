package dev.gitops.ssh.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.ssh.Host;
import dev.gitops.target.Lockable;
import dev.gitops.target.LockedException;
import dev.gitops.target.TargetException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The per-root lock {@code <root>/.gitops/lock}: created exclusively (so exactly one taker wins),
 * holding {@code {"holder": ..., "since": ...}}. A lock older than the caller's {@code staleAfter} is
 * taken over: moved aside, then created again exclusively. Not part of the public API.
 */
public final class LockFile {
  private final Host host;
  private final StateDir state;
  private final String target;
  private final Clock clock;

  /**
   * @param host the host
   * @param state the state folder {@code <root>/.gitops}
   * @param target the target's description, for messages
   * @param clock the time recorded and compared
   */
  public LockFile(Host host, StateDir state, String target, Clock clock) {
    this.host = host;
    this.state = state;
    this.target = target;
    this.clock = clock;
  }

  /**
   * Takes the lock.
   *
   * @throws LockedException when someone else holds it (and it is not stale)
   */
  public Lockable.Lock take(String holder, Duration staleAfter) {
    if (holder == null || holder.isBlank()) {
      throw new IllegalArgumentException("holder must not be blank");
    }
    try {
      state.ensure();
      Instant now = clock.instant();
      if (tryCreate(holder, now)) {
        return held(holder, now);
      }
      Current current = current();
      boolean stale = staleAfter != null && current.since().plus(staleAfter).isBefore(now);
      if (!stale) {
        throw new LockedException(target, current.holder(), current.since());
      }
      String aside = HostFiles.temporaryName(path());
      host.rename(path(), aside, false);
      host.delete(aside);
      if (tryCreate(holder, now)) {
        return held(holder, now);
      }
      Current winner = current();
      throw new LockedException(target, winner.holder(), winner.since());
    } catch (IOException e) {
      throw new TargetException(null, target + ": cannot take the lock: " + e.getMessage(), true, e);
    }
  }

  private boolean tryCreate(String holder, Instant now) throws IOException {
    ObjectNode body = Inventory.JSON.createObjectNode();
    body.put("holder", holder);
    body.put("since", now.toString());
    try {
      host.write(path(), Inventory.JSON.writeValueAsBytes(body), 0644, true);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  private record Current(String holder, Instant since) {}

  private Current current() throws IOException {
    byte[] data = host.read(path());
    if (data == null) {
      return new Current("nobody (released meanwhile)", clock.instant());
    }
    try {
      JsonNode n = Inventory.JSON.readTree(data);
      return new Current(n.path("holder").asText("unknown"), Instant.parse(n.path("since").asText()));
    } catch (IOException | RuntimeException e) {
      return new Current("unknown (unreadable lock file)", Instant.EPOCH);
    }
  }

  private Lockable.Lock held(String holder, Instant since) {
    return new Lockable.Lock() {
      private boolean closed;

      @Override public String holder() { return holder; }
      @Override public Instant since() { return since; }

      @Override
      public synchronized void close() {
        if (closed) {
          return;
        }
        closed = true;
        try {
          Current now = current();
          if (now.holder().equals(holder) && now.since().equals(since)) {
            host.delete(path());
          }
        } catch (IOException e) {
          throw new TargetException(null, target + ": cannot release the lock: " + e.getMessage(), true, e);
        }
      }

      @Override
      public String toString() {
        return "Lock[" + target + " by " + holder + " since " + since + "]";
      }
    };
  }

  private String path() {
    return state.file("lock");
  }
}
