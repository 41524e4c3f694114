package dev.gitops.ssh;

import dev.gitops.model.FileMode;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * The owner and group a write gives the file it replaces where Git names none (either, or both): the
 * replaced file's, as Ansible's {@code atomic_move} keeps them when it replaces a file as root. A temporary file is
 * created by the connecting user and renamed over the old one, so without this an update as root
 * gave an application's {@code 0600} config to root, and no plan said so. Only root may give a file
 * away: for any other user the file becomes the connecting user's, as any file it writes, and the
 * applied step's detail says so when the owner was another's. A user may give a file it owns any group
 * it is in (POSIX {@code chown}; Linux's {@code chown_ok}/{@code chgrp_ok} in {@code fs/attr.c}), so
 * the replaced file's group is kept for it when it is one of the user's groups, and the detail says
 * when it was not. Not part of the public API.
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
    return mode(desired, replaced, me, List.of(), reader, path);
  }

  /**
   * As {@link #mode(FileMode, KeptOwner, int, ReadSession, String)}; for a connecting user who is not
   * root, the replaced file's group when Git names none and it is one of {@code groups} other than the
   * first (which a new file gets anyway).
   *
   * @param groups the connecting user's group ids, as {@code id -G} prints them (the primary first);
   *     empty when unknown
   */
  static FileMode mode(FileMode desired, KeptOwner replaced, int me, List<Integer> groups, ReadSession reader,
                       String path) throws IOException {
    boolean ownerNamed = !desired.owner().isEmpty();
    boolean groupNamed = !desired.group().isEmpty();
    if (me > 0 && !groupNamed && replaced != null && keptGroup(replaced.group, groups)) {
      return new FileMode(desired.permissions(), desired.owner(), replaced.group);
    }
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

  /** Whether {@code group} (a number) is one of {@code groups} a user may give a file, other than its primary. */
  private static boolean keptGroup(String group, List<Integer> groups) {
    return group.matches("\\d{1,9}") && groups.indexOf(Integer.parseInt(group)) > 0;
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
    return notKept(desired, replaced, me, List.of());
  }

  /**
   * As {@link #notKept(FileMode, KeptOwner, int)}; with the connecting user's {@code groups} known
   * ({@code id -G}, the primary first), also when the owner was this user's but the group, which Git
   * does not name, is none of its groups and so could not be kept.
   */
  static String notKept(FileMode desired, KeptOwner replaced, int me, List<Integer> groups) {
    if (replaced == null || me <= 0) {
      return "";
    }
    if (!desired.owner().isEmpty() || replaced.owner.isEmpty() || replaced.owner.equals(Integer.toString(me))) {
      return groupNotKept(desired, replaced, me, groups);
    }
    String was = replaced.owner.matches("\\d+") ? "uid " + replaced.owner : replaced.owner;
    return "owner not kept: the file replaced was owned by " + was + (replaced.group.isEmpty() ? ""
        : replaced.group.matches("\\d+") ? " (gid " + replaced.group + ")" : " (group " + replaced.group + ")")
        + "; it is uid " + me + "'s now, the connecting user's (only root may give a file away; deploy as root"
        + " to keep it)" + (desired.group().isEmpty() && keptGroup(replaced.group, groups) ? "; its group is kept" : "");
  }

  private static String groupNotKept(FileMode desired, KeptOwner replaced, int me, List<Integer> groups) {
    if (!desired.group().isEmpty() || groups.isEmpty() || !replaced.group.matches("\\d{1,9}")
        || groups.contains(Integer.parseInt(replaced.group))) {
      return "";
    }
    return "group not kept: the file replaced had gid " + replaced.group + "; it has the group a new file of uid "
        + me + " gets now (gid " + groups.get(0) + ", or its directory's under setgid): a user may give a file only"
        + " a group it is in (deploy as root, or add uid " + me + " to gid " + replaced.group + ", to keep it)";
  }
}
