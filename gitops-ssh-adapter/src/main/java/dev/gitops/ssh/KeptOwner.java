package dev.gitops.ssh;

import dev.gitops.model.FileMode;
import java.io.IOException;
import java.util.Set;

/**
 * The owner and group a write gives the file it replaces where Git names none (either, or both): the
 * replaced file's, as Ansible's {@code atomic_move} keeps them when it replaces a file as root. A temporary file is
 * created by the connecting user and renamed over the old one, so without this an update as root
 * gave an application's {@code 0600} config to root, and no plan said so. Only root may give a file
 * away: for any other user the file becomes the connecting user's, as any file it writes, and the
 * applied step's detail says so when the owner was another's. Not part of the public API.
 *
 * @param owner the replaced file's owner, by number or name; {@code ""} when unknown
 * @param group the replaced file's group, by number or name; {@code ""} when unknown
 */
record KeptOwner(String owner, String group) {
  /** Nothing known of the replaced file's owner and group (none replaced, or the host did not say). */
  static final KeptOwner UNKNOWN = new KeptOwner("", "");

  /** The owner and group {@code stat} tells, by number; {@link #UNKNOWN} for what it does not tell. */
  static KeptOwner of(Host.Stat stat) {
    return new KeptOwner(stat.uid() < 0 ? "" : Integer.toString(stat.uid()),
        stat.gid() < 0 ? "" : Integer.toString(stat.gid()));
  }

  /** The owner and group a read's entry names ({@code ""} for what it does not). */
  static KeptOwner of(Tar.Entry entry) {
    String owner = !entry.owner().isEmpty() ? entry.owner() : entry.uid() >= 0 ? Integer.toString(entry.uid()) : "";
    return new KeptOwner(owner, entry.group());
  }

  /**
   * The mode to write {@code path} with: {@code desired} when it names both owner and group, when
   * nothing is replaced ({@code replaced} null) or when the connecting user ({@code me}) is not
   * root; else {@code desired}'s bits, what it names, and the replaced file's owner or group for the
   * part it does not name, asked of {@code reader} (one request) when the host's {@code stat} did not
   * tell them (MINA SSHD's SFTP server). Root's ids ({@code 0}) need no {@code chown}: root's new
   * file is root's.
   */
  static FileMode mode(FileMode desired, KeptOwner replaced, int me, ReadSession reader, String path)
      throws IOException {
    boolean ownerNamed = !desired.owner().isEmpty();
    boolean groupNamed = !desired.group().isEmpty();
    if (ownerNamed && groupNamed || replaced == null || me != 0) {
      return desired;
    }
    KeptOwner kept = replaced;
    if (!ownerNamed && kept.owner.isEmpty() || !groupNamed && kept.group.isEmpty()) {
      Tar.Entry e = reader.read(Set.of(path)).entries().get(path);
      kept = e == null ? UNKNOWN : of(e);
    }
    String owner = ownerNamed ? desired.owner() : notRoot(kept.owner);
    String group = groupNamed ? desired.group() : notRoot(kept.group);
    return owner.isEmpty() && group.isEmpty() ? desired : new FileMode(desired.permissions(), owner, group);
  }

  /** {@code id}, or {@code ""} for root's ({@code 0}, {@code root}), which a file root creates has. */
  private static String notRoot(String id) {
    return id.equals("0") || id.equals("root") ? "" : id;
  }

  /**
   * What the applied step says when the connecting user ({@code me}, not root) replaced a file
   * another user owned and Git names no owner: that owner could not be kept. {@code ""} otherwise.
   */
  static String notKept(FileMode desired, KeptOwner replaced, int me) {
    if (!desired.owner().isEmpty() || replaced == null || me <= 0 || replaced.owner.isEmpty()
        || replaced.owner.equals(Integer.toString(me))) {
      return "";
    }
    String was = replaced.owner.matches("\\d+") ? "uid " + replaced.owner : replaced.owner;
    return "owner not kept: the file replaced was owned by " + was + (replaced.group.isEmpty() ? ""
        : replaced.group.matches("\\d+") ? " (gid " + replaced.group + ")" : " (group " + replaced.group + ")")
        + "; it is uid " + me + "'s now, the connecting user's (only root may give a file away; deploy as root"
        + " to keep it)";
  }
}
