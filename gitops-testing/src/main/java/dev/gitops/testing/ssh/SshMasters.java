package dev.gitops.testing.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code ssh} processes that hold a shared connection ({@code ControlMaster}) whose control
 * socket lies under a folder: such a process names its socket in its process title
 * ({@code ssh: <socket> [mux]}), which outlives the command that started it. Linux only ({@code /proc});
 * elsewhere none are found.
 */
public final class SshMasters {
  private SshMasters() {}

  /**
   * The live processes whose command line names {@code folder} (or anything under it).
   *
   * @param folder a control folder, or any folder the sockets are under
   * @return those processes, in no particular order
   */
  public static List<ProcessHandle> under(Path folder) {
    String name = folder.toString();
    return ProcessHandle.allProcesses().filter(p -> {
      try {
        return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"), StandardCharsets.ISO_8859_1)
            .contains(name);
      } catch (IOException | UncheckedIOException gone) {
        return false;
      }
    }).toList();
  }

  /**
   * Ends the connections under {@code folder} (they would end once idle).
   *
   * @param folder as for {@link #under}
   */
  public static void end(Path folder) {
    under(folder).forEach(ProcessHandle::destroy);
  }
}
