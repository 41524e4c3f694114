package dev.gitops.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The one command that reads a root: a fixed {@code sh} script that takes NUL-separated relative
 * paths on standard input and prints a tar stream (GNU tar, {@code --no-recursion}, symlinks not
 * followed; a second name of one file sent with its bytes, {@code --hard-dereference}, never as a
 * link to the first) of the root, those paths, their parent directories, the state folder {@code .gitops}
 * itself and, when it is a real directory (never through a symlink), every inventory and journal in it. The root is the script's one positional argument; no path is ever part of
 * a shell line. Not part of the public API.
 */
final class TreeRead {
  private static final String HEADER = "gitops-read 1";
  private static final String NO_ROOT = "gitops-noroot";
  /** What the long-running reader prints first, with the user id it runs as. */
  static final String GREETING = "gitops-serve ";
  /** What the script prints, then {@code none} or {@code other}, when the host has no GNU tar. */
  private static final String NEEDS_GNU_TAR = "gitops-needs-gnu-tar ";
  /**
   * The script; {@code $1} is the root. With {@code $2 = serve} it stays running and answers one
   * request per {@code <length> <digest length>[ ids]\\n<digest paths><paths>} on standard input: the
   * archive of the paths, then, when digest paths were sent ({@link HostDigests}), their digest
   * section (computed beside the archive, in the background, from as soon as the request has
   * arrived; with {@code ids}, owners and groups as numbers, which spares the host a user and group
   * lookup per file); each answer ended by {@code gitops-end <status>\\n}. The request is taken off
   * standard input by one {@code head -c} and split from a file: BusyBox's {@code head} reads ahead
   * of its count, so a second {@code head -c} on the pipe waited for bytes the first had taken. Every process on the way
   * to the digest section is paid by every plan (a process start costs milliseconds on small hosts):
   * the section is framed by markers, not by lengths a {@code stat} would have to measure, and
   * printed straight from the files it was computed into.
   */
  static final String SCRIPT = String.join("\n",
      "r() {",
      "  cd -- \"$1\" 2>/dev/null || { printf 'gitops-noroot %s\\n' \"$U\"; return 0; }",
      "  printf 'gitops-read 1 %s\\n' \"$U\"",
      "  { printf '.\\0'; cat; if [ -d .gitops ] && [ ! -L .gitops ]; then printf '.gitops\\0';",
      "    for f in .gitops/*.inventory .gitops/*.journal; do",
      "      if [ -f \"$f\" ] && [ ! -L \"$f\" ]; then printf '%s\\0' \"$f\"; fi; done;",
      "  elif [ -L .gitops ] || [ -e .gitops ]; then printf '.gitops\\0'; fi; } |",
      "    LC_ALL=C $T --null --verbatim-files-from --no-recursion --hard-dereference -T - -c -b 1 -f - 2>/dev/null",
      "  rc=$?; [ $rc -le 2 ] || return $rc",
      "}",
      "d() {",
      "  cd -- \"$1\" 2>/dev/null || return 4",
      "  [ \"$G\" = 1 ] && command -v sha256sum >/dev/null 2>&1 && command -v xargs >/dev/null 2>&1 &&",
      "    command -v find >/dev/null 2>&1 || return 5",
      "  f='%f %s %U %G %n\\0'; [ \"$k\" != ids ] || f='%f %s %u %g %n\\0'",
      "  { xargs -0 -r stat --printf \"$f\" -- < \"$W/d\" 2>/dev/null; printf '\\0gitops-sums\\0'; } > \"$W/s\" &",
      "  xargs -0 -r sh -c 'find \"$@\" -maxdepth 0 -type f -print0' gitops-find < \"$W/d\" 2>/dev/null |",
      "    xargs -0 -r sha256sum -- > \"$W/h\" 2>/dev/null; wait",
      "}",
      "U=$(id -u 2>/dev/null); [ \"$2\" != serve ] || printf 'gitops-serve %s\\n' \"$U\"",
      "T=tar; case $(tar --version 2>/dev/null) in *'GNU tar'*) ;; *) T=gtar",
      "  case $(gtar --version 2>/dev/null) in *'GNU tar'*) ;; *) command -v tar >/dev/null 2>&1 && T=other || T=none",
      "    printf 'gitops-needs-gnu-tar %s\\n' \"$T\"; exit 0 ;; esac ;; esac",
      "if [ \"$2\" = serve ]; then",
      "  G=0; case $(stat --version 2>/dev/null) in *GNU*) G=1 ;; esac",
      "  W=$(mktemp -d) || exit 3; trap 'rm -rf \"$W\"' EXIT",
      "  while read -r n m k; do",
      "    if [ \"${m:-0}\" = 0 ]; then head -c \"$n\" > \"$W/t\"; ( r \"$1\" ) < \"$W/t\"; s=$?",
      "    else head -c $((m + n)) > \"$W/r\"; head -c \"$m\" < \"$W/r\" > \"$W/d\"; ( d \"$1\" ) & p=$!",
      "      tail -c +$((m + 1)) < \"$W/r\" > \"$W/t\"; ( r \"$1\" ) < \"$W/t\"; s=$?; wait $p; e=$?",
      "      if [ $s = 0 ]; then case $e in",
      "        0) printf 'gitops-digests 2\\n'; cat \"$W/s\" \"$W/h\"; printf '\\ngitops-digests-end\\n' ;;",
      "        4) printf 'gitops-digests 2\\n\\0gitops-sums\\0\\ngitops-digests-end\\n' ;;",
      "        *) printf 'gitops-digests -\\n' ;;",
      "      esac; fi; fi",
      "    printf 'gitops-end %s\\n' \"$s\"",
      "  done",
      "else",
      "  r \"$1\"",
      "fi");

  private TreeRead() {}

  /**
   * What a read found.
   *
   * @param rootExists false when the root is missing (everything absent)
   * @param entries by relative path ({@code "."} is the root)
   * @param digests what the host reported of the digest paths ({@link HostDigests.Answer#NONE} when
   *     none were asked for or the host lacks the tools)
   * @param uid the user id the read ran as on the host ({@code id -u}), {@code -1} when unknown
   */
  public record Listing(boolean rootExists, Map<String, Tar.Entry> entries, HostDigests.Answer digests, int uid) {
    /** A listing without digests. */
    public Listing(boolean rootExists, Map<String, Tar.Entry> entries, int uid) {
      this(rootExists, entries, HostDigests.Answer.NONE, uid);
    }
  }

  /** The one-shot command: {@code sh -c SCRIPT gitops-read ROOT}. */
  public static List<String> command(String root) {
    return List.of("sh", "-c", SCRIPT, "gitops-read", root);
  }

  /** The long-running command: {@code sh -c SCRIPT gitops-read ROOT serve}. */
  public static List<String> serve(String root) {
    return List.of("sh", "-c", SCRIPT, "gitops-read", root, "serve");
  }

  /** Standard input: {@code paths} and all their parent directories, NUL-separated, parents first. */
  public static byte[] stdin(Collection<String> paths) {
    return stdin(paths, List.of());
  }

  /** As {@link #stdin(Collection)}, with the parent directories of {@code digested} too (not themselves). */
  public static byte[] stdin(Collection<String> paths, Collection<String> digested) {
    TreeSet<String> dirs = new TreeSet<>();
    paths.forEach(p -> dirs.addAll(TargetPaths.ancestors(p)));
    digested.forEach(p -> dirs.addAll(TargetPaths.ancestors(p)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String p : dirs) {
      out.writeBytes(p.getBytes(StandardCharsets.UTF_8));
      out.write(0);
    }
    for (String p : new TreeSet<>(paths)) {
      if (!dirs.contains(p)) {
        out.writeBytes(p.getBytes(StandardCharsets.UTF_8));
        out.write(0);
      }
    }
    return out.toByteArray();
  }

  /**
   * Reads the script's output from {@code in}: the first line, then one archive through
   * {@link Tar#read(InputStream)} (large files digested as they stream by, never held). Stops after
   * the archive, so a serving reader stays in step.
   *
   * @throws IOException when the output is not what the script prints (tar missing, stream cut)
   */
  public static Listing read(java.io.InputStream in) throws IOException {
    String first = line(in);
    if (first.equals(NO_ROOT) || first.startsWith(NO_ROOT + " ")) {
      return new Listing(false, Map.of(), uid(first, NO_ROOT));
    }
    if (first.startsWith(NEEDS_GNU_TAR)) {
      throw new IOException(noGnuTar(first.substring(NEEDS_GNU_TAR.length())));
    }
    if (!first.equals(HEADER) && !first.startsWith(HEADER + " ")) {
      throw unexpected(first);
    }
    Map<String, Tar.Entry> entries = new TreeMap<>();
    for (Tar.Entry e : Tar.read(in)) {
      entries.putIfAbsent(e.name(), e);
    }
    return new Listing(true, entries, uid(first, HEADER));
  }

  /**
   * What a first line that the script never prints means: most often the account's login shell
   * printed it before running the command (a {@code .bashrc} that echoes a banner), which would be
   * read as the archive. Names the line, escaped and cut to 60 characters.
   */
  static IOException unexpected(String first) {
    return printedBefore(first, "the read script's output");
  }

  /** As {@link #unexpected}, for the output of another script ({@code what}). */
  static IOException printedBefore(String first, String what) {
    String shown = first.length() > 60 ? first.substring(0, 60) + "..." : first;
    return new IOException("the host printed '" + dev.gitops.model.ResourceId.escape(shown) + "' before " + what
        + ": the login shell's start-up files (.bashrc, .profile, .cshrc, config.fish) must"
        + " print nothing when the shell is not interactive, as scp, rsync and git over SSH need too");
  }

  /** Whether {@code stdout} starts with a line of the script's: it prints one before anything can fail. */
  static boolean ran(byte[] stdout) {
    return startsWith(stdout, NO_ROOT) || startsWith(stdout, HEADER) || startsWith(stdout, NEEDS_GNU_TAR);
  }

  /**
   * Why a read whose command failed before the script printed its first line did not run: the host ran
   * something else ({@code This service allows sftp connections only.} says OpenSSH's {@code sshd} to a
   * command under {@code ForceCommand internal-sftp}), named with what it printed.
   */
  static IOException didNotRun(byte[] stdout, int exit, String stderr) {
    String first = new String(stdout, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
    String shown = dev.gitops.model.ResourceId.escape(first.length() > 60 ? first.substring(0, 60) + "..." : first);
    return new IOException("the read script did not run: the host " + (first.isEmpty() ? "printed nothing"
        : "printed '" + shown + "'") + " and exited with " + exit + (stderr.isEmpty() ? "" : " ("
        + dev.gitops.model.ResourceId.escape(stderr.length() > 200 ? stderr.substring(0, 200) + "..." : stderr) + ")")
        + ": an account that runs only SFTP (ForceCommand internal-sftp, an sftp-only login shell), or a"
        + " ForceCommand that ignores the command, cannot be read; gitops reads a root with one command, which"
        + " needs a POSIX sh and GNU tar");
  }

  /** The user id after {@code prefix} on a line the script printed, {@code -1} when it printed none. */
  static int uid(String line, String prefix) {
    String rest = line.substring(Math.min(line.length(), prefix.length())).strip();
    try {
      return rest.isEmpty() ? -1 : Integer.parseInt(rest);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Why a host without GNU tar cannot be read: BusyBox's tar (Alpine) and bsdtar (macOS, the BSDs)
   * take no NUL-separated list of paths that are never options, which the read depends on.
   */
  private static String noGnuTar(String found) {
    return (found.equals("none") ? "the host has no tar" : "the host's tar is not GNU tar (BusyBox's or bsdtar?)")
        + ": reading the root needs GNU tar, as tar or gtar on the PATH of a non-interactive shell"
        + " (Alpine: apk add tar; macOS: brew install gnu-tar; FreeBSD: pkg install gtar)";
  }

  /** One line of at most 200 bytes, without its {@code \n}. */
  static String line(java.io.InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("reader ended");
      }
      if (buf.size() > 200) {
        throw new IOException("reader out of step");
      }
      buf.write(b);
    }
    return buf.toString(StandardCharsets.US_ASCII);
  }

  /**
   * Parses the script's output.
   *
   * @throws IOException when the output is not what the script prints (tar missing, stream cut)
   */
  public static Listing parse(byte[] stdout) throws IOException {
    if (!ran(stdout)) {
      int end = 0;
      while (end < stdout.length && end < 200 && stdout[end] != '\n') {
        end++;
      }
      throw unexpected(new String(stdout, 0, end, StandardCharsets.UTF_8));
    }
    return read(new java.io.ByteArrayInputStream(stdout));
  }

  private static boolean startsWith(byte[] data, String prefix) {
    byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
    if (data.length < p.length) {
      return false;
    }
    for (int i = 0; i < p.length; i++) {
      if (data[i] != p[i]) {
        return false;
      }
    }
    return true;
  }
}
