package dev.gitops.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link Host} that can only run commands reads: what is at a path (GNU or BusyBox {@code stat}),
 * a file's bytes, a directory's entries; each a fixed POSIX shell script run through
 * {@link Host#exec(List, byte[])}, whose output starts with {@link ShellFiles#PRINT_MARK}. What
 * {@code Host}'s default methods do; the writes are {@link ShellFiles}'. Not part of the public API.
 */
final class ShellReads {
  private ShellReads() {}

  /** See {@link Host#files}. */
  static List<String> files(Host host, String dir) throws IOException {
    Host.Result r = host.exec(List.of("sh", "-c", ShellFiles.PRINT_MARK + "cd -- \"$1\" 2>/dev/null || exit 0; for f in .* *; do "
        + "if [ -f \"$f\" ] && [ ! -L \"$f\" ]; then printf '%s\\0' \"$f\"; fi; done", "gitops-ls", dir),
        new byte[0]);
    ShellFiles.check(host, r, "list", dir);
    String out = new String(ShellFiles.marked(r.stdout(), "gitops-ls"), StandardCharsets.UTF_8);
    return out.isEmpty() ? List.of() : List.of(out.substring(0, out.length() - 1).split("\0", -1));
  }

  /** See {@link Host#entries}: {@code f} or {@code d}, then the name, NUL after each. */
  static Map<String, Host.Stat.Type> entries(Host host, String dir) throws IOException {
    Host.Result r = host.exec(List.of("sh", "-c", ShellFiles.PRINT_MARK + "cd -- \"$1\" 2>/dev/null || exit 0; for f in .* *; do "
        + "if [ -L \"$f\" ]; then :; elif [ -f \"$f\" ]; then printf 'f%s\\0' \"$f\"; elif [ -d \"$f\" ]; then "
        + "case $f in .|..) ;; *) printf 'd%s\\0' \"$f\" ;; esac; fi; done", "gitops-entries", dir), new byte[0]);
    ShellFiles.check(host, r, "list", dir);
    String out = new String(ShellFiles.marked(r.stdout(), "gitops-entries"), StandardCharsets.UTF_8);
    Map<String, Host.Stat.Type> entries = new HashMap<>();
    for (String e : out.isEmpty() ? new String[0] : out.substring(0, out.length() - 1).split("\0", -1)) {
      entries.put(e.substring(1), e.charAt(0) == 'd' ? Host.Stat.Type.DIRECTORY : Host.Stat.Type.FILE);
    }
    return entries;
  }

  /** See {@link Host#read}. */
  static byte[] read(Host host, String path) throws IOException {
    Host.Result r = host.exec(List.of("sh", "-c", ShellFiles.REGULAR_OR_ABSENT + "[ -f \"$1\" ] || exit 3; " + ShellFiles.PRINT_MARK
        + "exec cat -- \"$1\"", "gitops-cat", path), new byte[0]);
    if (r.exitCode() == 3) {
      return null;
    }
    ShellFiles.regularOrAbsent(r, path, "read");
    ShellFiles.check(host, r, "read", path);
    return ShellFiles.marked(r.stdout(), "gitops-cat");
  }

  /**
   * See {@link Host#read}, at most {@code max} bytes: the script sends no more ({@code head -c}), and
   * of what a host sends anyway only the last {@code max} bytes (and the mark) are kept
   * ({@link Host#execKeepingTail}), so more than {@code max - 1} bytes back means the file is longer.
   */
  static byte[] read(Host host, String path, int max) throws IOException {
    Host.Result r = host.execKeepingTail(List.of("sh", "-c", ShellFiles.REGULAR_OR_ABSENT + "[ -f \"$1\" ] || exit 3; "
        + ShellFiles.PRINT_MARK + "exec head -c \"$2\" -- \"$1\"", "gitops-head", path, Integer.toString(max)), new byte[0],
        Host.DEFAULT_TIMEOUT, max + ShellFiles.MARK.length);
    if (r.exitCode() == 3) {
      return null;
    }
    ShellFiles.regularOrAbsent(r, path, "read");
    ShellFiles.check(host, r, "read", path);
    return ShellFiles.marked(r.stdout(), "gitops-head");
  }

  /** See {@link Host#stat}. */
  static Host.Stat stat(Host host, String path) throws IOException {
    Host.Result r = host.exec(List.of("sh", "-c", "if [ -e \"$1\" ] || [ -L \"$1\" ]; then " + ShellFiles.PRINT_MARK
        + "exec stat -c '%f %Y %s %u %g' -- \"$1\"; fi; exit 3", "gitops-stat", path), new byte[0]);
    if (r.exitCode() == 3) {
      return Host.Stat.ABSENT;
    }
    ShellFiles.check(host, r, "look at", path);
    String line = new String(ShellFiles.marked(r.stdout(), "gitops-stat"), StandardCharsets.US_ASCII).strip();
    if (!line.matches("[0-9a-f]+ -?\\d+( \\d+)*")) {
      throw new IOException(host.describe() + ": cannot look at " + path + ": stat printed '"
          + dev.gitops.model.ResourceId.escape(line.length() > 60 ? line.substring(0, 60) + "..." : line)
          + "', not '%f %Y %s %u %g' (the host's stat is not GNU's nor BusyBox's?)");
    }
    String[] parts = line.split(" ");
    int mode = Integer.parseInt(parts[0], 16);
    Host.Stat.Type type = switch (mode & 0170000) {
      case 0100000 -> Host.Stat.Type.FILE;
      case 0040000 -> Host.Stat.Type.DIRECTORY;
      case 0120000 -> Host.Stat.Type.SYMLINK;
      default -> Host.Stat.Type.OTHER;
    };
    return new Host.Stat(type, mode & 07777, Instant.ofEpochSecond(Long.parseLong(parts[1])),
        type == Host.Stat.Type.FILE && parts.length > 2 ? Long.parseLong(parts[2]) : -1,
        parts.length > 3 ? Integer.parseInt(parts[3]) : -1, parts.length > 4 ? Integer.parseInt(parts[4]) : -1);
  }
}
