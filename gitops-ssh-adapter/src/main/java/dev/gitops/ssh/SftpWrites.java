package dev.gitops.ssh;

import dev.gitops.model.FileMode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.sftp.client.SftpClient;

/**
 * How an {@link SshHost} writes: over one of its connection's SFTP sessions, pipelined with the other
 * threads' writes and renames on that session ({@link SftpBatch}) when the session allows, failures
 * explained ({@link SftpFailures}), owner and group names resolved to ids by command ({@code id -u},
 * {@code getent group}, once per name). Remembers which modes the server's umask leaves whole, so that a
 * new file with such a mode takes no separate {@code fsetstat}, and which folders of a tree someone else
 * may write ({@link SharedFolders}): a file of such a folder is written through {@code Host}'s
 * private-folder script, since over SFTP its temporary file is named by its path up to the rename;
 * unless a files target trusts the folder ({@link Host#trust}). Those verdicts last one run of the files
 * target ({@link Host#forget}), not the connection. Thread-safe. Not part of the public API.
 */
final class SftpWrites {
  private final SshConnection connection;
  private final SshCommands commands;
  private final Duration commandTimeout;
  /** Modes an SFTP open of this server creates exactly (not cut by its umask): no separate chmod. */
  private final Set<Integer> exactModes = ConcurrentHashMap.newKeySet();
  /** The uid the server makes files as: {@code -1} until an {@code fstat} said, {@code -2} when it says no owner. */
  private final AtomicInteger me = new AtomicInteger(-1);
  /**
   * Folders of trees found writable by someone else ({@link SharedFolders}): their files are written
   * through {@code Host}'s private-folder script, where a neighbour can swap nothing between the write and
   * the rename; SFTP names the temporary file by its path in the folder up to the rename. Until the run
   * of the target at their root ends ({@link #forget}).
   */
  private final Set<String> shared = ConcurrentHashMap.newKeySet();
  /**
   * Roots found writable by no one else: a file right in one takes no look at it (a root's mode changes only
   * by its owner, this user or root; a file deeper takes the look at its folder that it takes anyway). Until
   * the run of the target there ends ({@link #forget}).
   */
  private final Set<String> roots = ConcurrentHashMap.newKeySet();
  /** By root, the folders whose writers the files target there trusts ({@link Host#trust}): never judged. */
  private final Map<String, List<String>> trusted = new ConcurrentHashMap<>();

  SftpWrites(SshConnection connection, SshCommands commands, Duration commandTimeout) {
    this.connection = connection;
    this.commands = commands;
    this.commandTimeout = commandTimeout;
  }

  /** See {@link Host#trust}. */
  void trust(String root, List<String> folders) {
    if (folders.isEmpty()) {
      trusted.remove(root);
    } else {
      trusted.put(root, List.copyOf(folders));
    }
  }

  /**
   * See {@link Host#forget}: forgets that {@code root} was found writable by no one else, and which folders
   * at or under it were found writable by someone else; each is judged again at its next write.
   */
  void forget(String root) {
    roots.remove(root);
    shared.removeIf(dir -> SharedFolders.trusted(List.of(root), dir)); // at or under the root
  }

  /** True when {@code path}'s folder is at or under one the files target at {@code root} trusts ({@link #trust}). */
  private boolean trusted(String path, String root) {
    List<String> folders = root == null ? null : trusted.get(root);
    return folders != null && SharedFolders.trusted(folders, folder(path));
  }

  /** See {@link Host#write(String, byte[], int, boolean)}. */
  void write(String path, byte[] data, int permissions, boolean exclusive) throws IOException {
    SftpClient sftp = connection.sftp();
    SftpFailures.explained(sftp, path, data.length, () -> SftpFiles.write(sftp,
        SftpFiles.pipelines(sftp) ? connection.batch(sftp) : null, exactModes, path, data, permissions, exclusive));
  }

  /**
   * See {@link Host#writeAndRename(String, String, byte[], int, boolean, String)}; {@code root} may be null.
   * Under a root, in a folder someone else may write ({@link SharedFolders}, judged with the look at the
   * directories that follows the data), through {@code host}'s private-folder script instead: the file
   * written over SFTP is removed by its name, not renamed into place, and the folder remembered. A folder
   * the target trusts ({@link #trust}) is not judged: written over SFTP.
   */
  void writeAndRename(Host host, String tmp, String path, byte[] data, int permissions, boolean replace, String root)
      throws IOException {
    if (sharedFolder(path, root)) {
      ShellFiles.writeAndRename(host, tmp, path, data, permissions, replace, root);
      return;
    }
    SftpClient sftp = connection.sftp();
    try {
      SftpFailures.explained(sftp, tmp, data.length, () -> SftpFiles.writeAndRename(sftp, SftpFiles.pipelines(sftp)
          ? connection.batch(sftp) : null, exactModes, judge(path, root), tmp, path, data, permissions, -1, -1,
          replace, root));
    } catch (SharedFolders.Shared e) {
      unshare(sftp, tmp, e);
      ShellFiles.writeAndRename(host, tmp, path, data, permissions, replace, root);
    }
  }

  /**
   * What judges the folder of {@code path} in the write ({@link SftpFiles}): null for none (the root:
   * {@link #shared}; a trusted folder).
   */
  private AtomicInteger judge(String path, String root) {
    return root == null || folder(path).equals(root) || trusted(path, root) ? null : me;
  }

  /** True when {@code path}'s folder is one already found shared, or is the root and shared; never a trusted one. */
  private boolean sharedFolder(String path, String root) throws IOException {
    return root != null && !trusted(path, root) && (shared.contains(folder(path)) || sharedRoot(path, root));
  }

  /**
   * True when {@code path} is right in {@code root} and someone else may write the root: judged once a run
   * of the target there ({@link #forget}) by a {@code stat} that follows a link (the root is taken as named,
   * a link there followed).
   */
  private boolean sharedRoot(String path, String root) throws IOException {
    if (root == null || !folder(path).equals(root) || roots.contains(root)) {
      return root != null && shared.contains(root);
    }
    SftpClient.Attributes a = connection.sftp().stat(root);
    boolean ids = a.getFlags().contains(SftpClient.Attribute.UidGid);
    Host.Stat now = new Host.Stat(Host.Stat.Type.DIRECTORY, a.getPermissions() & 07777, null, -1,
        ids ? a.getUserId() : -1, ids ? a.getGroupId() : -1);
    int mine = me.get();
    if (mine < 0 && now.uid() > 0) {
      return true; // whom the server runs as is not known yet: this file through the script, asked again next time
    }
    boolean others = SharedFolders.why(now, SharedFolders.OURS, mine) != null;
    (others ? shared : roots).add(root);
    return others;
  }

  /** The folder of {@code path}, absolute. */
  private static String folder(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  /** Remembers the folder {@code e} names and removes {@code tmp}, written there and not renamed, by its name. */
  private void unshare(SftpClient sftp, String tmp, SharedFolders.Shared e) throws IOException {
    shared.add(e.dir);
    SftpFiles.delete(sftp, tmp); // the entry itself, whatever it is now: never what a link leads to
  }

  /**
   * True when {@code path}'s folder is one someone else may write: remembered, or by an {@code lstat} of
   * it now (a folder of a user other than root while whom the server runs as is not known counts).
   */
  private boolean shared(String path, String root) throws IOException {
    if (trusted(path, root)) {
      return false;
    }
    String dir = folder(path);
    if (root == null || shared.contains(dir) || dir.equals(root)) {
      return root != null && (shared.contains(dir) || sharedRoot(path, root));
    }
    Host.Stat now = SftpReads.stat(connection.sftp(), dir);
    int mine = me.get();
    if (mine < 0 && now.uid() > 0 || SharedFolders.why(now, SharedFolders.OURS, mine) != null) {
      shared.add(dir);
      return true;
    }
    return false;
  }

  /**
   * See {@link Host#writeAndRename(String, String, byte[], FileMode, boolean, String)}: through
   * {@code host}'s own steps for setuid, setgid or sticky bits, or a session that does not pipeline.
   */
  void writeAndRename(Host host, String tmp, String path, byte[] data, FileMode mode, boolean replace, String root)
      throws IOException {
    if (sharedFolder(path, root)) {
      ShellFiles.writeAndRename(host, tmp, path, data, mode, replace, root);
      return;
    }
    if ((mode.permissions() & 07000) != 0 || !SftpFiles.pipelinesRename(connection.sftp(), replace)) {
      if (shared(path, root)) { // looked at first: these steps name the temporary file up to the rename
        ShellFiles.writeAndRename(host, tmp, path, data, mode, replace, root);
      } else {
        HostFiles.writeChownRename(host, tmp, path, data, mode, replace, root);
      }
      return;
    }
    // names first: a command that finds the connection broken opens a new one, closing the SFTP sessions
    int uid = mode.owner().isEmpty() ? -1 : commands.id("u", mode.owner(), commandTimeout);
    int gid = mode.group().isEmpty() ? -1 : commands.id("g", mode.group(), commandTimeout);
    SftpClient sftp = connection.sftp();
    try {
      SftpFailures.explained(sftp, tmp, data.length, () -> SftpFiles.writeAndRename(sftp, connection.batch(sftp),
          exactModes, judge(path, root), tmp, path, data, mode.permissions(), uid, gid, replace, root));
    } catch (SharedFolders.Shared e) {
      unshare(sftp, tmp, e);
      ShellFiles.writeAndRename(host, tmp, path, data, mode, replace, root);
    }
  }

  /** See {@link Host#write(String, InputStream, int, boolean)}: chunked, memory holds one chunk. */
  void write(String path, InputStream data, int permissions, boolean exclusive) throws IOException {
    SftpClient sftp = connection.sftp();
    SftpFailures.explained(sftp, path, 0, () -> SftpFiles.write(sftp, path, data, permissions, exclusive));
  }

  /**
   * See {@link Host#writeAndRename(String, String, InputStream, long, FileMode, boolean, String)}: the
   * stream written to {@code tmp} with owner and group set on its open handle before the data
   * ({@link SftpFiles#writeOwned}: no name between the write and the owner for a neighbour to swap), then
   * a look at {@code tmp} ({@code lstat}: still a regular file of the size written, and the setuid, setgid
   * and sticky bits asked for kept) and at each directory, then the rename by the name, as for a file
   * that fits in memory.
   */
  void writeAndRename(Host host, String tmp, String path, InputStream data, long size, FileMode mode,
      boolean replace, String root) throws IOException {
    if (shared(path, root)) { // looked at first (a stream is read once): the steps below name the file up to the rename
      PrivateScripts.stream(host, tmp, path, data, size, mode, replace, root);
      return;
    }
    // names first: a command that finds the connection broken opens a new one, closing the SFTP sessions
    int uid = mode.owner().isEmpty() ? -1 : commands.id("u", mode.owner(), commandTimeout);
    int gid = mode.group().isEmpty() ? -1 : commands.id("g", mode.group(), commandTimeout);
    SftpClient sftp = connection.sftp();
    long[] written = {0};
    SftpFailures.explained(sftp, tmp, 0, () -> written[0] = SftpFiles.writeOwned(sftp, tmp, data, mode.permissions(),
        uid, gid));
    Host.Stat now = host.stat(tmp);
    if (now.type() != Host.Stat.Type.FILE || now.size() != written[0]) {
      throw new IOException(tmp + " is " + (now.type() == Host.Stat.Type.FILE ? "a file of " + now.size() + " bytes"
          : HostFiles.what(now.type())) + " now, not the file of " + written[0] + " bytes just written: not renamed"
          + " into place");
    }
    if ((mode.permissions() & 07000) != 0 && now.permissions() != mode.permissions()) {
      throw new HostFiles.ModeDropped(host.describe() + " keeps mode " + FileMode.of(now.permissions()) + " where "
          + mode + " was asked: it drops setuid, setgid or sticky bits; refusing to write a file whose mode would"
          + " differ from Git's for ever");
    }
    HostFiles.checkDirectories(host, root, path);
    rename(tmp, path, replace);
  }

  /** See {@link Host#append}. */
  void append(String path, byte[] data) throws IOException {
    SftpClient sftp = connection.sftp();
    SftpFailures.explained(sftp, path, data.length, () -> SftpFiles.append(sftp, path, data));
  }

  /** See {@link Host#chown}: names resolved to ids by command, then set by SFTP, never through a symlink. */
  void chown(String path, String owner, String group) throws IOException {
    int uid = owner.isEmpty() ? -1 : commands.id("u", owner, commandTimeout);
    int gid = group.isEmpty() ? -1 : commands.id("g", group, commandTimeout);
    SftpFiles.chown(connection.sftp(), path, uid, gid);
  }

  /** See {@link Host#rename}: a replace pipelined when the session allows. */
  void rename(String from, String to, boolean replace) throws IOException {
    SftpClient sftp = connection.sftp();
    SftpFiles.rename(sftp, SftpFiles.pipelines(sftp) ? connection.batch(sftp) : null, from, to, replace);
  }
}
