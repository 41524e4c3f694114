package dev.gitops.ssh;

import dev.gitops.model.FileMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@link Host}'s shell defaults write a file of a tree: in a folder of its own, named as the
 * temporary file, that no one but the user (and root) can enter, so that nothing can be swapped
 * between the write, the mode, the owner and the rename. A file that fits in memory takes one script
 * ({@link #PRIVATE}); a larger one ({@link #stream}) one command a chunk, each entering the folder
 * again by its name and refusing it unless it is still the user's, {@code 0700}, holding the file alone
 * (one link). Package-private: not part of the public API.
 */
final class PrivateScripts {
  private PrivateScripts() {}

  /** What a streamed write sends per command: 1 MiB. */
  private static final int CHUNK = 1 << 20;

  /**
   * True when the folder entered ({@code .}) has the owner the file just made in it, open on fd 3, got:
   * both by {@code ls -n}, the file through {@code /proc/self/fd/3} (the file made, whatever its name
   * leads to by then), the folder as the working directory (the one entered, whatever its name leads
   * to). Where {@code [ -O . ]} fails for a folder this user made: a file system that gives new files
   * another owner (NFS with {@code root_squash} gives root's to {@code nobody}); a folder of another
   * user swapped in has another owner than the file made in it, and is refused.
   */
  static final String SAME_OWNER = "[ \"$(ls -nd . | awk '{print $3}')\" = \"$(ls -nLd /proc/self/fd/3 | "
      + "awk '{print $3}')\" ]";

  /**
   * Sets {@code n}, the name of {@code $t} (made absolute from {@code $PWD} first), and {@code u}, the folder
   * it is in, whose name the target's folder cannot swap (only whoever can write that folder's own parent).
   */
  private static final String NAMES = "case $t in /*) ;; *) t=$PWD/$t ;; esac; n=${t##*/}; u=${t%/*}; u=${u:-/}; ";

  /**
   * After {@code cd -P -- "$t"}: true when the folder entered is in {@code $u} ({@code ..} is that very
   * folder, {@code test -ef}: same device and inode) and {@code $t} is no symlink now. A symlink swapped in at
   * {@code $t} (by whoever can write {@code $u}) between a look and the {@code cd}, leading to a folder
   * elsewhere, even one of this user's, {@code 0700} and empty, is refused: {@code cd -P} enters what it
   * leads to, whose {@code ..} is another folder. dash, bash, zsh and BusyBox's ash all have {@code -ef}
   * (POSIX since Issue 8), and every script runs in {@code sh}, whatever the login shell.
   */
  private static final String ENTERED = "[ .. -ef \"$u\" ] && [ ! -L \"$t\" ]";

  /**
   * Makes the folder {@code $t} ({@code 0700}: exit 16 when anything is there), enters it ({@code cd -P}),
   * never through a symlink ({@code -L} before, {@link #ENTERED} after: exit 22), refuses it unless it is
   * empty (exit 22: swapped between the {@code mkdir} and the {@code cd}) and, when it is this user's, makes
   * it {@code 0700} again ({@code chmod} clears the group bits a default ACL gave it, which also masks the
   * ACL's entries); a folder that is not (exit 25 without {@code /proc/self/fd}) is judged by {@link #FIRST}.
   * Sets {@code n}, the file's name in it ({@link #NAMES}).
   */
  private static final String MAKE = NAMES + "umask 077; if [ -e \"$t\" ] || [ -L \"$t\" ]; then exit 16; fi; "
      + "mkdir -- \"$t\" || exit 1; if [ -L \"$t\" ]; then exit 22; fi; cd -P -- \"$t\" || exit 1; "
      + ENTERED + " || exit 22; "
      + "for e in .[!.]* ..?* *; do if [ -e \"$e\" ] || [ -L \"$e\" ]; then exit 22; fi; done; "
      + "if [ -O . ]; then chmod 700 . || exit 1; elif [ ! -d /proc/self/fd ]; then cd / && rmdir -- \"$t\"; exit 25; fi; ";

  /**
   * Inside a subshell, after {@link #MAKE}: creates the file {@code $n} on fd 3, refuses a folder not this
   * user's unless it has the file's owner ({@link #SAME_OWNER}, exit 22), then writes standard input to it.
   */
  private static final String FIRST = "set -C; exec 3> \"$n\" || exit 1; if [ ! -O . ]; then " + SAME_OWNER
      + " || exit 22; chmod 700 . || exit 1; fi; cat >&3 || exit 1; ";

  /**
   * Inside the folder, after the whole file is written: refuses it unless it holds {@code $z} bytes (exit
   * 24: input cut short, as when the connection drops, ends {@code cat} as its end would), gives it mode
   * {@code $m} and owner {@code $o} (after which the setuid, setgid and sticky bits {@code $k} names,
   * {@code u g t}, are set again and checked: exit 23), looks at each directory left in {@code "$@"}
   * (exit 20, its place among them on standard output, for one that is no directory now), and renames it
   * to {@code $p}, replacing when {@code $r} is {@code r}, else by a hard link (exit 17 when anything is
   * there). All by its name in the folder, where no one but this user (and root) can swap it.
   */
  private static final String FINISH = "[ $(($(wc -c < \"$n\"))) -eq \"$z\" ] || exit 24; chmod \"$m\" \"$n\" || exit 1; "
      + "if [ -n \"$o\" ]; then chown -h -- \"$o\" \"$n\" || exit 1; if [ -n \"$k\" ]; then chmod \"$m\" \"$n\" || exit 1; fi; fi; "
      + "case $k in *u*) [ -u \"$n\" ] || exit 23 ;; esac; case $k in *g*) [ -g \"$n\" ] || exit 23 ;; esac; "
      + "case $k in *t*) [ -k \"$n\" ] || exit 23 ;; esac; "
      + "i=0; for d do i=$((i+1)); if [ -L \"$d\" ] || [ ! -d \"$d\" ]; then printf %s \"$i\"; exit 20; fi; done; "
      + "if [ \"$r\" = r ]; then exec mv -f -T -- \"$n\" \"$p\"; fi; "
      + "ln -- \"$n\" \"$p\" 2>/dev/null || { if [ -e \"$p\" ] || [ -L \"$p\" ]; then exit 17; fi; ln -- \"$n\" \"$p\" || exit 1; }";

  /** After the subshell, its status in {@code $s}: removes the file and the folder, if its name still leads to it. */
  private static final String CLEAN = "if [ -e \"$n\" ] || [ -L \"$n\" ]; then rm -f -- \"$n\"; fi; "
      + "if [ \"$t\" -ef . ]; then cd / && rmdir -- \"$t\"; fi; exit \"$s\"";

  /**
   * The one script of a file of a tree (after {@code m=MODE r=REPLACE o=OWNER k=SPECIAL z=SIZE t=TMP
   * p=PATH; shift 7}, the directories to look at left as arguments): {@link #MAKE}, {@link #FIRST},
   * {@link #FINISH}, then the folder removed whatever happened. A neighbour who can write the target's
   * folder can still rename the folder away or put another there: what the script does after the
   * {@code cd} is bound to the folder it entered.
   */
  static final String PRIVATE = MAKE + "( " + FIRST + FINISH + " ); s=$?; " + CLEAN;

  /**
   * A later command of a streamed write ({@code t} and {@code q} set): enters {@code $t} again, never
   * through a symlink at its name ({@link #ENTERED}), and refuses it (exit 26) unless it is a {@code 0700}
   * folder of this user's ({@code q}: of the owner of the file in it, where the first command found the file system
   * gives new files another owner) that holds the file {@code $n}, a regular file of the folder's owner
   * with one link: no one else could have made or linked that file there.
   */
  private static final String ENTER = NAMES + "umask 077; if [ -L \"$t\" ]; then exit 26; fi; "
      + "cd -P -- \"$t\" 2>/dev/null || exit 26; " + ENTERED + " || exit 26; d=$(ls -nd . | awk '{print $1, $3}'); "
      + "f=$(ls -nd -- \"$n\" 2>/dev/null | awk '{print $1, $2, $3}'); "
      + "case $d in drwx------*) ;; *) exit 26 ;; esac; case $f in -*) ;; *) exit 26 ;; esac; "
      + "[ \"${f#* }\" = \"1 ${d#* }\" ] || exit 26; [ -O . ] || [ \"$q\" = q ] || exit 26; ";

  /** The first command of a streamed write: {@link #PRIVATE} up to the first chunk; says when the folder is not {@code -O}. */
  private static final String STREAM_FIRST = "t=$1; " + MAKE + "( " + FIRST + " ); s=$?; "
      + "if [ \"$s\" = 0 ]; then [ -O . ] || printf gitops-squashed; exit 0; fi; " + CLEAN;

  /** A middle command of a streamed write: the next chunk appended to the file in the folder entered again. */
  private static final String STREAM_APPEND = "t=$1 q=$2; " + ENTER + "cat >> \"$n\" || exit 1";

  /** The last command of a streamed write: {@link #FINISH} in the folder entered again, then it removed. */
  private static final String STREAM_LAST = "m=$3 r=$4 o=$5 k=$6 z=$7 q=$8 t=$1 p=$2; shift 8; " + ENTER
      + "( " + FINISH + " ); s=$?; " + CLEAN;

  /**
   * See {@link Host#writeAndRename(String, String, InputStream, long, FileMode, boolean, String)}: the
   * first chunk by a command that makes the folder and the file, one command a chunk after it, the last
   * one checking the size, setting mode and owner, looking at the directories and renaming. On any
   * failure the folder is removed ({@link #removeLeft}); a chunk is never written, nor the file given a
   * mode or owner or renamed, in a folder that is not still the one made (exit 26).
   */
  static void stream(Host host, String tmp, String path, InputStream data, long size, FileMode mode,
      boolean replace, String root) throws IOException {
    List<String> dirs = HostFiles.directories(java.util.Objects.requireNonNull(root, "root"), path);
    Host.Result r;
    try {
      r = host.exec(List.of("sh", "-c", STREAM_FIRST, "gitops-stream-first", tmp), data.readNBytes(CHUNK));
      check(host, r, tmp, path, dirs, size, mode.permissions());
      String q = new String(r.stdout(), StandardCharsets.US_ASCII).endsWith("gitops-squashed") ? "q" : "";
      for (byte[] chunk = data.readNBytes(CHUNK); chunk.length > 0; chunk = data.readNBytes(CHUNK)) {
        check(host, host.exec(List.of("sh", "-c", STREAM_APPEND, "gitops-stream-append", tmp, q), chunk), tmp, path,
            dirs, size, mode.permissions());
      }
      List<String> command = new ArrayList<>(List.of("sh", "-c", STREAM_LAST, "gitops-stream-rename", tmp, path));
      command.addAll(arguments(mode.permissions(), owner(mode), replace, size));
      command.add(q);
      command.addAll(dirs);
      r = host.exec(command, new byte[0]);
      check(host, r, tmp, path, dirs, size, mode.permissions());
    } catch (IOException | RuntimeException e) {
      removeLeft(host, tmp, e);
      throw e;
    }
  }

  /** {@code owner:group}, {@code owner}, {@code :group} or {@code ""}, as {@code chown} takes it. */
  static String owner(FileMode mode) {
    return mode.owner() + (mode.group().isEmpty() ? "" : ":" + mode.group());
  }

  /** {@code MODE REPLACE OWNER SPECIAL SIZE}: the arguments {@link #FINISH} reads as {@code $m $r $o $k $z}. */
  static List<String> arguments(int permissions, String owner, boolean replace, long size) {
    return List.of(Integer.toOctalString(permissions & 07777), replace ? "r" : "", owner,
        ((permissions & 04000) != 0 ? "u" : "") + ((permissions & 02000) != 0 ? "g" : "")
            + ((permissions & 01000) != 0 ? "t" : ""), Long.toString(size));
  }

  /** Throws what the exit status of one of these scripts says; nothing when it succeeded. */
  static void check(Host host, Host.Result r, String tmp, String path, List<String> dirs, long size, int permissions)
      throws IOException {
    switch (r.exitCode()) {
      case 0:
        return;
      case 16:
        throw new FileAlreadyExistsException(tmp);
      case 20:
        String said = new String(r.stdout(), StandardCharsets.US_ASCII); // after what a login shell printed, if any
        String dir = dirs.get(Integer.parseInt(said.substring(said.lastIndexOf('\n') + 1)) - 1);
        throw new HostFiles.Swapped(dir, host.stat(dir).type());
      case 21:
        throw new IOException(tmp + " is no longer the file just written: not renamed into place");
      case 22:
        throw new IOException(tmp + " was swapped before the write entered it (it is not this user's empty folder made"
            + " there, or a symlink): nothing written; someone else can write "
            + path.substring(0, path.lastIndexOf('/') + 1));
      case 23:
        throw new HostFiles.ModeDropped(host.describe() + " did not keep the mode of " + tmp + " where "
            + FileMode.of(permissions) + " was asked: it drops setuid, setgid or sticky bits; refusing to write a file"
            + " whose mode would differ from Git's for ever");
      case 24:
        throw new IOException(host.describe() + ": " + tmp + " holds fewer bytes than the " + size + " sent (the"
            + " connection lost on the way?): not renamed into place");
      case 25:
        throw new IOException(host.describe() + ": the folder " + tmp + " this write made is not owned by the user it"
            + " runs as (a file system that gives new files another owner, as NFS with root_squash gives root's to"
            + " nobody), and the host has no /proc/self/fd to prove a file made in it gets that owner: nothing written");
      case 26:
        throw new IOException(host.describe() + ": " + tmp + " is no longer this user's 0700 folder holding the file"
            + " being written alone (swapped between two commands of the write: someone else can write "
            + path.substring(0, path.lastIndexOf('/') + 1) + "): nothing more written, not renamed into place");
      default:
        ShellFiles.check(host, r, "write and rename " + tmp + " to", path);
    }
  }

  /**
   * Removes the folder {@code $1} a write of this user's left (a write killed or cut off, a streamed write
   * refused between two commands), never following a link and never removing what is not this user's:
   * a symlink at its name is left alone (nothing it leads to is entered, {@link #ENTERED}); the folder
   * entered ({@code cd -P}) must be this user's, or, where {@code [ -O . ]} fails, have the owner a file this
   * user makes next to it gets (a file system that gives new files another owner, as NFS with
   * {@code root_squash}: the file {@code $2} in its parent, made {@code O_EXCL} and {@code 0600}, removed at
   * once; named for the folder, so that one a run killed in between left is removed by the next sweep of
   * that folder, {@link Leftovers}), so another user's folder put at the name is left as it is; then the
   * file of its own name in it (a file or a link, itself: never what a link leads to, never a directory),
   * then the folder, when empty ({@code rmdir}), if its name still leads to a directory.
   */
  private static final String LEFT = "t=$1; " + NAMES + "if [ -L \"$t\" ]; then exit 0; fi; "
      + "cd -P -- \"$t\" 2>/dev/null || exit 0; " + ENTERED + " || exit 0; if [ ! -O . ]; then "
      + "m=$u/$2; umask 077; if [ -e \"$m\" ] || [ -L \"$m\" ]; then exit 0; fi; "
      + "( set -C; : > \"$m\" ) 2>/dev/null || exit 0; w=$(ls -nd -- \"$m\" | awk '{print $3}'); rm -f -- \"$m\"; "
      + "[ \"$(ls -nd . | awk '{print $3}')\" = \"$w\" ] || exit 0; fi; "
      + "if [ -e \"$n\" ] || [ -L \"$n\" ]; then if [ -d \"$n\" ] && [ ! -L \"$n\" ]; then exit 0; fi; "
      + "rm -f -- \"$n\"; fi; cd / || exit 0; if [ -d \"$t\" ] && [ ! -L \"$t\" ]; then rmdir -- \"$t\" 2>/dev/null; fi; "
      + "exit 0";

  /**
   * Removes the private folder {@code tmp} a write left ({@link #LEFT}): what a write that failed does at
   * once ({@link #removeLeft}) and what the sweep of leftovers does later ({@link Leftovers}), on every
   * kind of host through {@link Host#exec}, so the same checks hold everywhere. The file it may make next
   * to the folder is named for it ({@link HostFiles#temporaryName}:
   * {@code ..gitops-<24 hex>.tmp.gitops-<random>.tmp}, which {@link Leftovers#probeOf} recognises).
   *
   * @param timeout the longest the removal may take
   */
  static void remove(Host host, String tmp, java.time.Duration timeout) throws IOException {
    String probe = TargetPaths.name(HostFiles.temporaryName(tmp));
    Host.Result r = host.exec(List.of("sh", "-c", LEFT, "gitops-write-left", tmp, probe), new byte[0], timeout);
    if (!r.succeeded()) {
      throw new IOException(host.describe() + ": cannot remove the temporary folder " + tmp + ": " + r.output().strip());
    }
  }

  /**
   * {@link #remove}s {@code tmp} after {@code failure}, for at most half a minute (a host that did not
   * answer the write is not waited on for long); its own failure is added to {@code failure}.
   */
  static void removeLeft(Host host, String tmp, Exception failure) {
    try {
      java.time.Duration most = java.time.Duration.ofSeconds(30);
      remove(host, tmp, host.timeout().compareTo(most) < 0 ? host.timeout() : most);
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }
}
