package dev.gitops.ssh;

import dev.gitops.model.FileMode;
import dev.gitops.model.ResourceId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One owner's inventory on a host, kept crash-safe: an intent line is appended to the journal
 * (synchronously) before a path is first written, results are appended after (batched), and the
 * journal is folded into the inventory file (atomic replace) before the next batch of writes and when
 * a deploy ends ({@link #fold}). So a crash at any point leaves every written path recorded as owned.
 * Thread-safe; not part of the public API.
 */
final class Ledger {
  private static final Logger LOG = LoggerFactory.getLogger(Ledger.class);
  private static final int BATCH = 256;
  private final Host host;
  private final StateDir state;
  private final String owner;
  private final Inventory inventory;
  private final Set<String> absent;
  private final Set<String> claimable;
  private final List<byte[]> pending = new ArrayList<>();
  private boolean journalOnDisk;
  private boolean prepared;
  /** True when this ledger appended to the journal since it was made or last folded. */
  private boolean appended;

  /**
   * @param host the host
   * @param state the state folder {@code <root>/.gitops}
   * @param owner the owner
   * @param inventory what was read (inventory merged with journal)
   * @param journalOnDisk true when a journal file exists
   * @param absent owned paths that the last read found missing (dropped at the next fold)
   * @param claimable desired paths the last read found missing: the first intent records them all,
   *     so that the creates of a plan cost one journal append, not one each
   */
  public Ledger(Host host, StateDir state, String owner, Inventory inventory, boolean journalOnDisk,
                Set<String> absent, Set<String> claimable) {
    this.host = host;
    this.state = state;
    this.owner = owner;
    this.inventory = inventory;
    this.journalOnDisk = journalOnDisk;
    this.absent = Set.copyOf(absent);
    this.claimable = new TreeSet<>(claimable);
  }

  /** Loads the ledger with two small reads (used when applying without a read first). */
  public static Ledger load(Host host, StateDir state, String owner) throws IOException {
    if (!state.exists()) {
      return new Ledger(host, state, owner, new Inventory(), false, Set.of(), Set.of());
    }
    byte[] journal = state.read(owner + ".journal");
    Inventory inv = Inventory.parse(owner, state.read(owner + ".inventory"), journal);
    return new Ledger(host, state, owner, inv, journal != null, Set.of(), Set.of());
  }

  /** True when {@code path} is owned. */
  public synchronized boolean owns(String path) {
    return inventory.owns(path);
  }

  /** Owned paths. */
  public synchronized Set<String> paths() {
    return Set.copyOf(inventory.files().keySet());
  }

  /** The recorded entry of {@code path}, or null. */
  public synchronized Inventory.Entry entry(String path) {
    return inventory.get(path);
  }

  /**
   * A new temporary file name this owner can later prove it made ({@link TempNames}); the first
   * call makes the owner's key and records it durably before the name is used.
   */
  public synchronized String temporaryName() throws IOException {
    if (inventory.tempKey().isEmpty()) {
      String key = TempNames.newKey();
      inventory.tempKey(key);
      pending.add(Inventory.keyLine(key));
      flush();
    }
    return TempNames.next(inventory.tempKey());
  }

  /** True when {@code name} is a temporary file name this owner made. */
  public synchronized boolean madeTemporary(String name) {
    return TempNames.isOurs(name, inventory.tempKey());
  }

  /** Records, durably, that {@code path} is about to be written; no-op when already owned. */
  public synchronized void intent(String path, FileMode mode) throws IOException {
    if (inventory.owns(path)) {
      return;
    }
    pending.add(Inventory.line("intent", path, "", mode));
    inventory.put(path, new Inventory.Entry("", mode));
    if (claimable.contains(path)) {
      for (String p : claimable) {
        if (!inventory.owns(p)) {
          pending.add(Inventory.line("intent", p, "", FileMode.REGULAR));
          inventory.put(p, new Inventory.Entry("", FileMode.REGULAR));
        }
      }
      claimable.clear();
    }
    flush();
  }

  /** Records that {@code path} now holds content with {@code digest} (flushed in batches). */
  public synchronized void applied(String path, String digest, FileMode mode) throws IOException {
    inventory.put(path, new Inventory.Entry(digest, mode));
    pending.add(Inventory.line("applied", path, digest, mode));
    if (pending.size() >= BATCH) {
      flush();
    }
  }

  /** Records that {@code path} was deleted (flushed in batches). */
  public synchronized void deleted(String path) throws IOException {
    inventory.remove(path);
    pending.add(Inventory.line("deleted", path, "", null));
    if (pending.size() >= BATCH) {
      flush();
    }
  }

  /**
   * Appends every pending line to the journal, the state folder looked at first. A journal this
   * ledger did not see (neither read nor created) is never appended to: the first batch creates it,
   * exclusively ({@link #create}), so a file put there since (a hard link to a file outside the root,
   * a FIFO) never takes the lines.
   */
  public synchronized void flush() throws IOException {
    if (pending.isEmpty()) {
      return;
    }
    state.ensure();
    prepare();
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    lines.write('\n'); // ends a line a crash may have cut short, so this batch is never glued to it
    pending.forEach(lines::writeBytes);
    if (journalOnDisk) {
      host.append(journal(), lines.toByteArray());
    } else {
      create(lines.toByteArray());
    }
    pending.clear();
    journalOnDisk = true;
    appended = true;
  }

  /**
   * Folds the journal into the inventory file now (after appending what is pending), when this ledger
   * wrote to it (a ledger that only read writes nothing): the inventory is replaced atomically
   * (temporary file, then rename), then the journal is deleted. A run that ends here leaves the state
   * folder holding the inventory alone, so the next read (every plan) parses one compact file instead
   * of a line per step of the last deploy. Crash-safe: killed before the rename, the old inventory
   * and the journal remain; killed between the rename and the delete, the journal's lines replay
   * onto an inventory that already holds them, which changes nothing.
   */
  public synchronized void fold() throws IOException {
    flush();
    if (!appended || !journalOnDisk) {
      return;
    }
    state.ensure();
    sweepInventoryLeftovers();
    state.replace(owner + ".inventory", inventory.toJson(owner));
    host.delete(journal());
    journalOnDisk = false;
    appended = false;
  }

  /**
   * {@link #fold}s each of {@code ledgers}; a fold that fails leaves the inventory and the journal
   * as they were, which still record everything: it is logged, not thrown.
   */
  static void foldAll(Collection<Ledger> ledgers, String describe) {
    for (Ledger ledger : ledgers) {
      try {
        ledger.fold();
      } catch (IOException | RuntimeException e) {
        LOG.warn("{}: the inventory journal of {} stays: {}", describe, ledger.owner,
            ResourceId.escape(String.valueOf(e.getMessage())));
      }
    }
  }

  /**
   * Creates the journal holding {@code lines}. A journal that appeared since the read (another
   * deployer of this owner without the lock, or a hard link put there) is never written: its lines
   * are read and folded into the inventory, which replaces the inventory file; then its name is
   * deleted and the journal created again. Anything else there (a symlink, a FIFO) is refused,
   * named, and left for a person to remove.
   */
  private void create(byte[] lines) throws IOException {
    try {
      host.write(journal(), lines, 0600, true);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      byte[] theirs = state.read(owner + ".journal"); // never follows nor opens anything but a regular file
      if (theirs != null) {
        inventory.replay(theirs);
        sweepInventoryLeftovers();
        state.replace(owner + ".inventory", inventory.toJson(owner));
        host.delete(journal());
      }
      host.write(journal(), lines, 0600, true);
    }
  }

  private void prepare() throws IOException {
    if (prepared) {
      return;
    }
    if (journalOnDisk || !absent.isEmpty()) {
      absent.stream().filter(p -> !claimable.contains(p)).forEach(p -> {
        if (inventory.get(p) != null && pending.stream().noneMatch(l -> mentions(l, p))) {
          inventory.remove(p);
        }
      });
      sweepInventoryLeftovers();
      state.replace(owner + ".inventory", inventory.toJson(owner));
      host.delete(journal());
      journalOnDisk = false;
    }
    prepared = true;
  }

  /**
   * Deletes the temporary files of this owner's inventory that an interrupted fold left, and the probe
   * files of the state folder's owner that a killed run left ({@link StateDir#isProbe}), in the same listing.
   */
  private void sweepInventoryLeftovers() throws IOException {
    for (String name : host.files(state.path())) {
      if ((owner + ".inventory").equals(Leftovers.targetOf(name)) || StateDir.isProbe(name)) {
        host.delete(state.file(name));
      }
    }
  }

  private static boolean mentions(byte[] line, String path) {
    return new String(line, java.nio.charset.StandardCharsets.UTF_8)
        .contains("\"path\":" + quoted(path));
  }

  private static String quoted(String path) {
    try {
      return Inventory.json().writeValueAsString(path);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private String journal() {
    return state.file(owner + ".journal");
  }
}
