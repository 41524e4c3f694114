package dev.gitops.ssh;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.util.List;

/**
 * The file operations of a {@link Host}: what an atomic write, a sweep, a prune and the state folder
 * need, each with a default that runs a fixed POSIX shell script through {@link Host#exec} (paths as
 * arguments, never in the script). A part of {@code Host} kept in a file of its own: only {@code Host}
 * extends it, so every instance is a {@code Host}; package-private, its methods are {@code Host}'s
 * public API.
 */
interface FileOperations {
  /**
   * Writes {@code data} to {@code path}, creating or truncating it, with {@code permissions} (exactly,
   * regardless of umask, setuid, setgid and sticky bits included). When {@code exclusive}, fails if
   * anything is at the path (a symlink included).
   *
   * @param path absolute path of the file
   * @param data the whole new content
   * @param permissions permission bits, {@code 0} to {@code 07777}
   * @param exclusive true to fail when anything is at {@code path}
   * @throws FileAlreadyExistsException when {@code exclusive} and the path exists
   * @throws IOException on any other failure
   */
  default void write(String path, byte[] data, int permissions, boolean exclusive) throws IOException {
    ShellFiles.write(host(), path, data, permissions, exclusive);
  }

  /**
   * As {@link #write(String, byte[], int, boolean)}, with the bytes {@code data} gives to its end,
   * streamed a chunk at a time: for files too large to hold. A failed write may leave {@code path}
   * partly written, for the caller to delete. Default: the first chunk (1 MiB) by
   * {@link #write(String, byte[], int, boolean)}, the others by {@link #append}, then {@link #chmod}.
   *
   * @param path absolute path of the file
   * @param data the new content, read to its end; the caller closes it
   * @param permissions permission bits, {@code 0} to {@code 07777}
   * @param exclusive true to fail when anything is at {@code path}
   * @throws FileAlreadyExistsException when {@code exclusive} and the path exists
   * @throws IOException on any other failure, and when {@code data} fails
   */
  default void write(String path, java.io.InputStream data, int permissions, boolean exclusive) throws IOException {
    ShellFiles.write(host(), path, data, permissions, exclusive);
  }

  /**
   * Tells this host that the files target at {@code root} trusts the writers of {@code folders}
   * ({@code FilesTarget.Options.trustedFolders()}, absolute, without a trailing slash): a write under
   * {@code root} into a folder at or under one of them (the {@code root} argument of
   * {@link #writeAndRename(String, String, byte[], int, boolean, String)} and its kin) need not take the
   * precautions this host takes for a folder someone else may write ({@link SshHost}: through the
   * private-folder script instead of SFTP). Replaces what was told for {@code root} before; an empty list
   * trusts none. Called by {@code FilesTarget} when made; does no I/O. Default: nothing (a host that takes
   * no such precaution).
   *
   * @param root the target's root, absolute
   * @param folders the folders it trusts; not null
   */
  default void trust(String root, java.util.List<String> folders) {
  }

  /**
   * Tells this host that a run of the files target at {@code root} ended: at each read, lock taken or
   * released, forced unlock and flush, when the target forgets its own verdict on the root and the folders
   * above it. What this host remembers of {@code root} and the folders under it, whether someone else may
   * write them, is forgotten: judged again at the next write there ({@link SshHost}: one {@code stat} of the
   * root, one look at a folder once found shared), so a folder opened to others, or closed again, between
   * two runs over one connection is judged anew. Called by {@code FilesTarget}; does no I/O. Default:
   * nothing (a host that remembers no such verdict).
   *
   * @param root the target's root, absolute
   */
  default void forget(String root) {
  }

  /**
   * {@link #write} {@code data} to {@code tmp} (exclusively, with {@code permissions}), then
   * {@link #rename} it to {@code path}, replacing or not: one call, so that a remote host can send
   * both in one flight. Same outcomes and exceptions as the two calls; on failure {@code tmp} may be
   * left for the caller to delete. Default: the two calls.
   *
   * @param tmp absolute path of a temporary file next to {@code path} (same filesystem); must not exist
   * @param path absolute path of the file to write
   * @param data the whole new content
   * @param permissions permission bits, {@code 0} to {@code 07777}
   * @param replace true to replace an existing {@code path}, false to fail when it exists
   * @throws FileAlreadyExistsException when not replacing and {@code path} exists
   * @throws IOException on any other failure
   */
  default void writeAndRename(String tmp, String path, byte[] data, int permissions, boolean replace)
      throws IOException {
    write(tmp, data, permissions, true);
    rename(tmp, path, replace);
  }

  /**
   * As {@link #writeAndRename(String, String, byte[], int, boolean)}, for a file of the tree under
   * {@code root}: once {@code tmp} is written and before the rename, every directory between
   * {@code root} (not itself) and {@code path} is looked at again, never followed, so that one swapped
   * for a symlink or a file since the caller looked (by someone who can write the tree) fails the
   * call, nothing renamed through it; the caller then deletes {@code tmp}. (The write of {@code tmp}
   * itself may have gone through such a link: over SFTP no request can be tied to a directory.)
   * Default: one fixed {@code sh} script through {@link Host#exec}, as {@link SystemSshHost} sends it: the
   * file is written, given its mode and renamed by its name inside a {@code 0700} folder of its own
   * named {@code tmp} (only this user, and root, can swap anything there: a hard link put in place of
   * the file between the steps is never given the mode nor renamed into place), the directories
   * looked at in the same script. It does not call {@link #write} nor {@link #rename}: a host that
   * overrides those to reach its files another way overrides this too ({@link LocalHost} does).
   *
   * @param tmp absolute path of a temporary file next to {@code path} (same filesystem); must not exist
   * @param path absolute path of the file to write, under {@code root}
   * @param data the whole new content
   * @param permissions permission bits, {@code 0} to {@code 07777}
   * @param replace true to replace an existing {@code path}, false to fail when it exists
   * @param root the tree's root, a directory above {@code path}, taken as named
   * @throws FileAlreadyExistsException when not replacing and {@code path} exists
   * @throws IOException naming the directory (an {@code IOException} whose message says
   *     {@code is a symlink now} or {@code is not a directory now}) when one was swapped; as
   *     {@link #writeAndRename(String, String, byte[], int, boolean)} otherwise
   */
  default void writeAndRename(String tmp, String path, byte[] data, int permissions, boolean replace, String root)
      throws IOException {
    ShellFiles.writeAndRename(host(), tmp, path, data, permissions, replace, root);
  }

  /**
   * As {@link #writeAndRename(String, String, byte[], int, boolean, String)}, {@code tmp} given
   * {@code mode}'s bits, owner and group ({@code ""}: as created), never through a symlink, before the
   * rename; {@code root} null: no directory looked at. Default: under a {@code root}, the one script
   * of {@link #writeAndRename(String, String, byte[], int, boolean, String)}, which also sets the owner
   * and group ({@code chown -h} by the name, inside the private folder) and sets setuid, setgid and sticky
   * bits again after it (chown clears them) and checks them; for a state file ({@code root} null, in
   * the target's own {@code 0700} folder) the same with setuid, setgid or sticky bits takes one call
   * a step ({@link #write}, {@link #chown}, {@link #chmod}, {@link #stat}, {@link #rename}). A host
   * that reaches its files another way overrides it, as {@link LocalHost} does.
   *
   * @param tmp absolute path of a temporary file next to {@code path} (same filesystem); must not exist
   * @param path absolute path of the file to write
   * @param data the whole new content
   * @param mode the bits and the owner and group (by name or number) to give {@code tmp}
   * @param replace true to replace an existing {@code path}, false to fail when it exists
   * @param root the tree's root, a directory above {@code path}, taken as named; null to look at no directory
   * @throws java.nio.file.FileAlreadyExistsException when {@code tmp} exists, or {@code path} exists
   *     and not {@code replace}
   * @throws IOException when a step fails, a directory is no directory by the rename, {@code tmp} is no
   *     longer the file written, or the host drops setuid, setgid or sticky bits
   */
  default void writeAndRename(String tmp, String path, byte[] data, dev.gitops.model.FileMode mode, boolean replace,
                              String root) throws IOException {
    ShellFiles.writeAndRename(host(), tmp, path, data, mode, replace, root);
  }

  /**
   * As {@link #writeAndRename(String, String, byte[], dev.gitops.model.FileMode, boolean, String)}, for a
   * file too large to hold: the {@code size} bytes {@code data} gives, streamed a chunk at a time, and
   * refused (nothing renamed) unless {@code tmp} holds that many. Default: in the private folder of that
   * script, one {@link Host#exec} a chunk of 1 MiB: the first makes the folder and the file, each later one
   * enters the folder again by its name and refuses it unless it is still this user's, {@code 0700}, and
   * holds the file alone (one link), so a name swapped between the commands is never written, given the
   * mode or owner, nor renamed into place; the last one checks the size, sets mode and owner, looks at the
   * directories and renames. On failure the folder is removed. A host that reaches its files another way
   * overrides it, as {@link LocalHost} and {@link SshHost} do (one call a step: {@link #write(String,
   * java.io.InputStream, int, boolean)}, {@link #chown}, a look at {@code tmp} and at each directory,
   * {@link #rename}).
   *
   * @param tmp absolute path of a temporary file next to {@code path} (same filesystem); must not exist
   * @param path absolute path of the file to write, under {@code root}
   * @param data the new content, read to its end; the caller closes it
   * @param size how many bytes {@code data} gives
   * @param mode the bits and the owner and group (by name or number) to give {@code tmp}
   * @param replace true to replace an existing {@code path}, false to fail when it exists
   * @param root the tree's root, a directory above {@code path}, taken as named; not null
   * @throws java.nio.file.FileAlreadyExistsException when {@code tmp} exists, or {@code path} exists
   *     and not {@code replace}
   * @throws IOException when a step fails or {@code data} fails, a directory is no directory by the
   *     rename, {@code tmp} is no longer the file written, holds fewer bytes than {@code size}, or the host
   *     drops setuid, setgid or sticky bits
   */
  default void writeAndRename(String tmp, String path, java.io.InputStream data, long size,
                              dev.gitops.model.FileMode mode, boolean replace, String root) throws IOException {
    PrivateScripts.stream(host(), tmp, path, data, size, mode, replace, root);
  }

  /**
   * Appends {@code data} to {@code path}, creating it with mode {@code 0600} when absent. A symlink,
   * directory, FIFO, socket or device there is an {@link IOException} saying what is there: never
   * written through nor opened.
   *
   * @param path absolute path of the file
   * @param data bytes to add at its end
   * @throws IOException when the file cannot be written, or is not a regular file
   */
  default void append(String path, byte[] data) throws IOException {
    ShellFiles.append(host(), path, data);
  }

  /**
   * Sets owner and/or group by name or number (digits only: an id, as {@code chown} takes it), not
   * following a symlink; empty strings leave that part alone.
   *
   * @param path absolute path; a symlink's own owner is changed
   * @param owner user name or uid, {@code ""} to leave the owner alone
   * @param group group name or gid, {@code ""} to leave the group alone
   * @throws IOException naming the owner or group when the host does not know it
   */
  default void chown(String path, String owner, String group) throws IOException {
    ShellFiles.chown(host(), path, owner, group);
  }

  /**
   * Sets the permission bits of {@code path}, setuid, setgid and sticky included ({@code chown}
   * clears setuid and setgid, so a write that sets an owner sets the mode again after it). Never
   * through a symlink: a temporary file swapped for a link to a file outside the root must not give
   * that file the mode. Default: {@code chmod MODE -- PATH} through {@code sh}, refused when a symlink
   * is at {@code path}.
   *
   * @param path absolute path
   * @param permissions permission bits, {@code 0} to {@code 07777}
   * @throws IOException when the mode cannot be set, and when {@code path} is a symlink
   */
  default void chmod(String path, int permissions) throws IOException {
    ShellFiles.chmod(host(), path, permissions);
  }

  /**
   * Renames {@code from} to {@code to} atomically. When {@code replace}, an existing {@code to} is
   * replaced (readers see the old or the new file); otherwise the rename fails when {@code to} exists.
   * Default: {@code mv -f -T}, or a hard link then an unlink when not replacing.
   *
   * @param from absolute path of the existing file
   * @param to absolute path on the same filesystem
   * @param replace true to replace an existing {@code to}
   * @throws FileAlreadyExistsException when not replacing and {@code to} exists
   * @throws IOException on any other failure
   */
  default void rename(String from, String to, boolean replace) throws IOException {
    ShellFiles.rename(host(), from, to, replace);
  }

  /**
   * Deletes a file or symlink (never what it points to).
   *
   * @param path absolute path
   * @return true when something was deleted, false when nothing was at {@code path}
   * @throws IOException when it exists and cannot be deleted
   */
  default boolean delete(String path) throws IOException {
    return ShellFiles.delete(host(), path);
  }

  /**
   * Deletes {@code path} when it is an empty directory, atomically (never one that holds anything,
   * never a symlink or what it points to). Returns false when nothing was deleted: not empty, not a
   * directory, or absent. Default: {@code rmdir -- PATH} through {@link Host#exec}.
   *
   * @param path absolute path
   * @return true when an empty directory was deleted
   * @throws IOException when the host cannot be asked
   */
  default boolean deleteDirectory(String path) throws IOException {
    return host().exec(List.of("rmdir", "--", path), new byte[0]).succeeded();
  }

  /**
   * The names of the regular files (not symlinks, not directories) directly in {@code dir}, in no
   * particular order; empty when {@code dir} is absent. Default: a fixed {@code sh} script through
   * {@link Host#exec}, {@code dir} its argument.
   *
   * @param dir absolute path of a directory
   * @return the file names (not paths), possibly with spaces or newlines; empty when none or absent
   * @throws IOException when the host cannot be asked
   */
  default List<String> files(String dir) throws IOException {
    return ShellReads.files(host(), dir);
  }

  /**
   * The regular files and directories directly in {@code dir}, by name: never a symlink, nor what one
   * leads to (a FIFO, socket or device neither). What a files target lists to sweep the temporary
   * files and folders of interrupted writes. Default: a fixed {@code sh} script through {@link Host#exec},
   * {@code dir} its argument.
   *
   * @param dir absolute path of a directory
   * @return each name (possibly with spaces or newlines) with {@link Host.Stat.Type#FILE} or
   *     {@link Host.Stat.Type#DIRECTORY}, in no particular order; empty when none or {@code dir} is absent
   * @throws IOException when the host cannot be asked
   */
  default java.util.Map<String, Host.Stat.Type> entries(String dir) throws IOException {
    return ShellReads.entries(host(), dir);
  }

  /**
   * Creates the one directory {@code path} with {@code permissions} (the host's umask may take bits
   * away, never add them); its parent must exist. Fails when anything is already at {@code path}, a
   * symlink included, so a directory this call created is a real, empty one. Default:
   * {@code mkdir -m MODE -- PATH} through {@link Host#exec}.
   *
   * @param path absolute path of the new directory
   * @param permissions permission bits, {@code 0} to {@code 07777}
   * @throws IOException when it was not created
   */
  default void mkdir(String path, int permissions) throws IOException {
    ShellFiles.mkdir(host(), path, permissions);
  }

  /**
   * Creates {@code path} and missing parents as directories ({@code 0755}).
   *
   * @param path absolute path of the directory; existing directories are left as they are
   * @throws IOException when a directory cannot be created
   */
  default void mkdirs(String path) throws IOException {
    ShellFiles.mkdirs(host(), path);
  }

  /**
   * Reads a small regular file whole, never through a final symlink. A symlink, directory, FIFO,
   * socket or device at {@code path} is an {@link IOException} saying what is there, and is never
   * opened: a FIFO would hold the read until some writer came.
   *
   * @param path absolute path
   * @return the file's bytes, or null when nothing is at {@code path}
   * @throws IOException when it exists and cannot be read, or is not a regular file
   */
  default byte[] read(String path) throws IOException {
    return ShellReads.read(host(), path);
  }

  /**
   * What is at {@code path}, not following a final symlink; {@link Host.Stat#ABSENT} when nothing.
   * Default: GNU {@code stat -c '%f %Y %s %u %g'} (raw mode in hex, modification time, size, ids).
   *
   * @param path absolute path
   * @return the entry's type, permission bits, modification time, size, owner and group
   * @throws IOException when the host cannot be asked
   */
  default Host.Stat stat(String path) throws IOException {
    return ShellReads.stat(host(), path);
  }

  /**
   * The names this host can hold, checked for every path before the first write. Default:
   * {@link HostLimits#LINUX}.
   *
   * @return this host's limits on names and paths
   */
  default HostLimits limits() {
    return HostLimits.LINUX;
  }

  /** {@return this, a {@link Host}: only {@code Host} extends this interface} */
  private Host host() {
    return (Host) this;
  }
}
