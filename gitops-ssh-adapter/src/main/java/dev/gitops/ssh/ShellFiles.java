package dev.gitops.ssh;

import dev.gitops.model.FileMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.List;

/**
 * The file operations of a {@link Host} that can only run commands and change something: each a
 * fixed POSIX shell script (paths as arguments, never in the script) run through
 * {@link Host#exec(List, byte[])}. What {@code Host}'s default methods do; what only reads is
 * {@link ShellReads}'. Package-private: not part of the public API.
 */
final class ShellFiles {
  private ShellFiles() {}

  /**
   * What a script whose output is parsed prints first on standard output ({@link #MARK}), so that what
   * the account's login shell printed ahead of it (a {@code .bashrc} that echoes a banner) is found and
   * named, never taken for a file's bytes, a name or a {@code stat} line.
   */
  static final String PRINT_MARK = "printf 'gitops-out\\n'; ";
  static final byte[] MARK = "gitops-out\n".getBytes(StandardCharsets.US_ASCII);

  /**
   * {@code chmod $m $1}, unless {@code $1} is a symlink (exit 4): {@code chmod} follows one, and a file
   * swapped for a link to a file outside the root would give that file the mode.
   */
  private static final String CHMOD = "{ if [ -L \"$1\" ]; then exit 4; fi; chmod \"$m\" -- \"$1\"; }";

  /**
   * Writes standard input to {@code $1} with mode {@code $m}, created private ({@code umask 077});
   * when {@code $x} is {@code x}, only as a new file: exit {@code $e} when anything is at {@code $1},
   * a symlink included ({@code set -C} then refuses a file made meanwhile: {@code O_EXCL}). Where
   * {@code /proc/self/fd} exists (Linux) the file is opened once, on fd 3, left open for the rest of
   * the script, and its mode set through {@code /proc/self/fd/3}, which leads to that open file
   * whatever is at {@code $1} by then: a name swapped for a hard link to a file outside (a regular
   * file, which the look for a symlink lets by) would have been given the mode.
   */
  private static final String WRITE = "umask 077; if [ \"$x\" = x ]; then set -C; "
      + "if [ -e \"$1\" ] || [ -L \"$1\" ]; then exit \"$e\"; fi; fi; if [ -d /proc/self/fd ]; then "
      + "exec 3>\"$1\" && cat >&3 && " + CHMOD.replace("-- \"$1\"", "/proc/self/fd/3") + "; else cat > \"$1\" && "
      + CHMOD + "; fi";

  /** See {@link Host#write}. */
  static void write(Host host, String path, byte[] data, int permissions, boolean exclusive) throws IOException {
    check(host, host.exec(List.of("sh", "-c", "m=$2 x=$3 e=17; " + WRITE,
        "gitops-write", path, octal(permissions), exclusive ? "x" : ""), data), "write", path);
  }

  /** The chunk a default streamed write sends per command: 1 MiB. */
  private static final int STREAM_CHUNK = 1 << 20;

  /**
   * See {@link Host#write(String, java.io.InputStream, int, boolean)}: the first chunk written
   * ({@code 0600}), the others appended, then the mode set, so memory holds one chunk.
   */
  static void write(Host host, String path, java.io.InputStream data, int permissions, boolean exclusive)
      throws IOException {
    host.write(path, data.readNBytes(STREAM_CHUNK), 0600, exclusive);
    for (byte[] chunk = data.readNBytes(STREAM_CHUNK); chunk.length > 0; chunk = data.readNBytes(STREAM_CHUNK)) {
      host.append(path, chunk);
    }
    host.chmod(path, permissions);
  }

  /** See {@link Host#append}. */
  static void append(Host host, String path, byte[] data) throws IOException {
    Host.Result r = host.exec(List.of("sh", "-c", REGULAR_OR_ABSENT + "umask 077; cat >> \"$1\"", "gitops-append", path),
        data);
    regularOrAbsent(r, path, "appended to");
    check(host, r, "append to", path);
  }

  /**
   * A script's start that ends it unless {@code $1} is a regular file or nothing (never followed: a
   * FIFO would hold a read or write until its other end came): exit 4 for a symlink, 5 for a
   * directory, 6 for anything else.
   */
  static final String REGULAR_OR_ABSENT = "if [ -L \"$1\" ]; then exit 4; elif [ -d \"$1\" ]; then exit 5; "
      + "elif [ -e \"$1\" ] && [ ! -f \"$1\" ]; then exit 6; fi; ";

  /** Throws what {@link #REGULAR_OR_ABSENT}'s exit codes say. */
  static void regularOrAbsent(Host.Result r, String path, String notDone) throws IOException {
    Host.Stat.Type type = switch (r.exitCode()) {
      case 4 -> Host.Stat.Type.SYMLINK;
      case 5 -> Host.Stat.Type.DIRECTORY;
      case 6 -> Host.Stat.Type.OTHER;
      default -> null;
    };
    if (type != null) {
      throw HostFiles.notRegular(path, type, notDone);
    }
  }

  /** See {@link Host#chown}. */
  static void chown(Host host, String path, String owner, String group) throws IOException {
    String who = owner + (group.isEmpty() ? "" : ":" + group);
    if (who.isEmpty()) {
      return;
    }
    check(host, host.exec(List.of("chown", "-h", "--", who, path), new byte[0]), "set owner " + who + " of", path);
  }

  /** See {@link Host#chmod}: never through a symlink. */
  static void chmod(Host host, String path, int permissions) throws IOException {
    check(host, host.exec(List.of("sh", "-c", "m=$2; " + CHMOD, "gitops-chmod", path, octal(permissions)),
        new byte[0]), "set the mode of", path);
  }

  /**
   * Renames {@code $1} to {@code $2}: replacing when {@code $r} is {@code r} ({@code mv -T}), else
   * through a hard link, which fails (exit 17) when anything is at {@code $2}, a symlink included.
   */
  private static final String RENAME = "if [ \"$r\" = r ]; then exec mv -f -T -- \"$1\" \"$2\"; fi; "
      + "ln -- \"$1\" \"$2\" 2>/dev/null || { if [ -e \"$2\" ] || [ -L \"$2\" ]; then exit 17; fi; "
      + "ln -- \"$1\" \"$2\" || exit 1; }; rm -f -- \"$1\"";

  /** See {@link Host#rename}. */
  static void rename(Host host, String from, String to, boolean replace) throws IOException {
    check(host, host.exec(List.of("sh", "-c", "r=$3; " + RENAME, "gitops-rename", from, to, replace ? "r" : ""),
        new byte[0]), "rename " + from + " to", to);
  }

  /**
   * See {@link Host#writeAndRename}: {@link #write} (exclusive) and {@link #rename} in one script, so
   * one command instead of two. Exit 16: {@code tmp} exists; 17: {@code path} exists, not replacing.
   */
  static void writeAndRename(Host host, String tmp, String path, byte[] data, int permissions, boolean replace)
      throws IOException {
    writeAndRename(host, tmp, path, data, permissions, replace, null);
  }

  /**
   * Between the write and the rename, each directory after {@code $5} is looked at, never followed:
   * exit 20 for one that is no directory now, its place among them on standard output.
   */
  private static final String LOOK = "t=$1 p=$2; shift 5; n=0; for d do n=$((n+1)); "
      + "if [ -L \"$d\" ] || [ ! -d \"$d\" ]; then printf %s \"$n\"; exit 20; fi; done; set -- \"$t\" \"$p\"; ";

  /**
   * As {@link #writeAndRename(Host, String, String, byte[], int, boolean)}, the directories between
   * {@code root} and {@code path} looked at between the write and the rename, in the same script
   * ({@link Host#writeAndRename(String, String, byte[], int, boolean, String)}).
   */
  static void writeAndRename(Host host, String tmp, String path, byte[] data, int permissions, boolean replace,
      String root) throws IOException {
    writeAndRename(host, tmp, path, data, permissions, "", replace, root);
  }

  /**
   * For the state folder's files only ({@code .gitops}, {@code 0700} and ours: a tree's file takes
   * {@link PrivateScripts#PRIVATE}). After {@link #WRITE}: gives {@code $1} the owner {@code $o} when not empty, then refuses it (exit 21)
   * unless it is still the file written. Where {@code /proc/self/fd} exists, through the written file's
   * descriptor, and "still the file written" is {@code [ "$1" -ef /proc/self/fd/3 ]}: a name swapped for
   * any link, symbolic or hard, is refused, and nothing it leads to is changed. Elsewhere {@code chown -h}
   * by the name (a symlink put there is changed itself, nothing it leads to) and a look that it is a
   * regular file, no link; a hard link put there would be given the owner.
   */
  private static final String OWN = "if [ -d /proc/self/fd ]; then "
      + "if [ -n \"$o\" ]; then chown -- \"$o\" /proc/self/fd/3 || exit 1; fi; "
      + "if [ -L \"$1\" ] || ! [ \"$1\" -ef /proc/self/fd/3 ]; then exit 21; fi; "
      + "elif [ -n \"$o\" ]; then chown -h -- \"$o\" \"$1\" || exit 1; "
      + "if [ -L \"$1\" ] || [ ! -f \"$1\" ]; then exit 21; fi; fi; ";

  /**
   * As {@link #writeAndRename(Host, String, String, byte[], int, boolean, String)}, {@code tmp} given
   * {@code mode}'s owner and group in the same script, between the write and the looks ({@link Host#writeAndRename(
   * String, String, byte[], FileMode, boolean, String)}): one command, where one a step took five. Setuid,
   * setgid and sticky bits (which {@code chown} clears) are set again after it and checked in the same
   * script; outside a tree ({@code root} null) they take {@link Host}'s steps.
   */
  static void writeAndRename(Host host, String tmp, String path, byte[] data, FileMode mode, boolean replace,
      String root) throws IOException {
    if ((mode.permissions() & 07000) != 0 && root == null) {
      HostFiles.writeChownRename(host, tmp, path, data, mode, replace, root);
      return;
    }
    writeAndRename(host, tmp, path, data, mode.permissions(), PrivateScripts.owner(mode), replace, root);
  }

  private static void writeAndRename(Host host, String tmp, String path, byte[] data, int permissions, String owner,
      boolean replace, String root) throws IOException {
    List<String> dirs = HostFiles.directories(root, path);
    List<String> command = new java.util.ArrayList<>(List.of("sh", "-c", root == null
        // the state folder: ours alone, 0700, so no one else can swap a name in it
        ? "m=$3 x=x e=16 o=$5; " + WRITE + " || exit 1; " + OWN + "r=$4; " + LOOK + RENAME
        : "m=$3 r=$4 o=$5 k=$6 z=$7 t=$1 p=$2; shift 7; " + PrivateScripts.PRIVATE,
        "gitops-write-rename", tmp, path));
    List<String> args = PrivateScripts.arguments(permissions, owner, replace, data.length);
    command.addAll(root == null ? args.subList(0, 3) : args);
    command.addAll(dirs);
    Host.Result r;
    try {
      r = host.exec(command, data);
    } catch (IOException e) {
      if (root != null) {
        PrivateScripts.removeLeft(host, tmp, e);
      }
      throw e;
    }
    PrivateScripts.check(host, r, tmp, path, dirs, data.length, permissions);
  }

  /** See {@link Host#delete}. */
  static boolean delete(Host host, String path) throws IOException {
    Host.Result r = host.exec(List.of("sh", "-c", "if [ -e \"$1\" ] || [ -L \"$1\" ]; then rm -f -- \"$1\" || exit 1; "
        + "else exit 3; fi", "gitops-rm", path), new byte[0]);
    if (r.exitCode() == 3) {
      return false;
    }
    check(host, r, "delete", path);
    return true;
  }

  /** See {@link Host#mkdir}. */
  static void mkdir(Host host, String path, int permissions) throws IOException {
    check(host, host.exec(List.of("mkdir", "-m", octal(permissions), "--", path), new byte[0]), "create", path);
  }

  /** See {@link Host#mkdirs}. */
  static void mkdirs(Host host, String path) throws IOException {
    check(host, host.exec(List.of("mkdir", "-p", "-m", "755", "--", path), new byte[0]), "create", path);
  }

  /**
   * {@code out} after {@link #MARK}, which {@code script} printed first: anything ahead of it was
   * printed by the login shell, and is named.
   */
  static byte[] marked(byte[] out, String script) throws IOException {
    if (java.util.Arrays.equals(out, 0, Math.min(out.length, MARK.length), MARK, 0, MARK.length)) {
      return java.util.Arrays.copyOfRange(out, MARK.length, out.length);
    }
    String text = new String(out, StandardCharsets.UTF_8);
    int mark = text.indexOf("gitops-out\n");
    String before = mark < 0 ? text : text.substring(0, mark);
    throw TreeRead.printedBefore(before.lines().filter(l -> !l.isBlank()).findFirst().orElse(before),
        "the output of " + script);
  }

  private static String octal(int permissions) {
    return Integer.toOctalString(permissions & 07777);
  }

  static void check(Host host, Host.Result r, String what, String path) throws IOException {
    if (r.exitCode() == 17) {
      throw new FileAlreadyExistsException(path);
    }
    if (r.exitCode() == 4) {
      throw HostFiles.symlink(path, what);
    }
    if (!r.succeeded()) {
      throw new IOException(host.describe() + ": cannot " + what + " " + path + ": " + r.output().strip());
    }
  }
}
