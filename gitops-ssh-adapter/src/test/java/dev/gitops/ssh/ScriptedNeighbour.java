package dev.gitops.ssh;

import dev.gitops.model.FileMode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A host whose writes of files of a root take {@link SystemSshHost}'s one script (write, mode, owner,
 * the check that the temporary file is still the file written, the looks, the rename: exit 21 when
 * it was replaced) through whatever host it wraps, with a folder put first on that script's
 * {@code PATH} (and on that of every command it runs: its other writes take {@code Host}'s shell
 * defaults, as on {@code SystemSshHost}): a program there named as a command the script runs ({@code chown}) acts as a
 * neighbour in the middle of the script, then runs the real one. The script is otherwise the one
 * {@code SystemSshHost} sends; {@link Tamper} can only act between calls, where {@link Host}'s
 * step-by-step default runs. {@link #withoutProc} runs the script as on a host without
 * {@code /proc/self/fd} (macOS, the BSDs, a container without {@code /proc}): every test of it for that
 * folder fails.
 */
final class ScriptedNeighbour extends ForwardingHost {
  /** Where the script looks for {@code /proc/self/fd} when run {@link #withoutProc}: nowhere. */
  private static final String NO_PROC = "/nonexistent-gitops-test/proc/self/fd";
  private final String bin;
  private final boolean proc;

  /**
   * @param host the host the script runs on
   * @param bin a folder on that host, put first on the write script's {@code PATH}
   */
  ScriptedNeighbour(Host host, String bin) {
    this(host, bin, true);
  }

  private ScriptedNeighbour(Host host, String bin, boolean proc) {
    super(host);
    this.bin = bin;
    this.proc = proc;
  }

  /** The same neighbour, the script run as if the host had no {@code /proc/self/fd}. */
  ScriptedNeighbour withoutProc() {
    return new ScriptedNeighbour(host, bin, false);
  }

  @Override
  public void writeAndRename(String tmp, String path, byte[] data, FileMode mode, boolean replace, String root)
      throws IOException {
    ShellFiles.writeAndRename(this, tmp, path, data, mode, replace, root);
  }

  @Override
  public void writeAndRename(String tmp, String path, byte[] data, int permissions, boolean replace, String root)
      throws IOException {
    ShellFiles.writeAndRename(this, tmp, path, data, permissions, replace, root);
  }

  /** Host's shell default, as {@link SystemSshHost} runs it (for setuid, setgid and sticky bits outside a tree). */
  @Override
  public void write(String path, byte[] data, int permissions, boolean exclusive) throws IOException {
    ShellFiles.write(this, path, data, permissions, exclusive);
  }

  @Override
  public void chown(String path, String owner, String group) throws IOException {
    ShellFiles.chown(this, path, owner, group);
  }

  @Override
  public void chmod(String path, int permissions) throws IOException {
    ShellFiles.chmod(this, path, permissions);
  }

  @Override
  public void rename(String from, String to, boolean replace) throws IOException {
    ShellFiles.rename(this, from, to, replace);
  }

  @Override
  public Result exec(List<String> command, byte[] stdin, Duration timeout) throws IOException {
    return host.exec(withPath(command), stdin, timeout);
  }

  @Override
  public Result exec(List<String> command, byte[] stdin) throws IOException {
    return host.exec(withPath(command), stdin);
  }

  /**
   * {@code sh -c SCRIPT gitops-write-rename ...} with {@code PATH=BIN:$PATH} ahead of its script (and,
   * {@link #withoutProc}, its {@code /proc/self/fd} nowhere).
   */
  private List<String> withPath(List<String> command) {
    if (command.size() < 4 || !command.get(3).startsWith("gitops-")) { // a program run as itself: chown
      List<String> wrapped = new ArrayList<>(List.of("sh", "-c", "PATH=" + Shell.quote(bin) + ":$PATH; export PATH; "
          + "exec \"$@\"", "gitops-neighbour"));
      wrapped.addAll(command);
      return wrapped;
    }
    List<String> changed = new ArrayList<>(command);
    String script = proc ? command.get(2) : command.get(2).replace("/proc/self/fd", NO_PROC);
    changed.set(2, "PATH=" + Shell.quote(bin) + ":$PATH; export PATH; " + script);
    return changed;
  }
}
