package dev.gitops.target;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process and the machine it runs on, as a lock records its holder: host name, process id and
 * an identity that proves two processes share one process table (host name, boot id and process
 * namespace, read from {@code /proc}; empty where {@code /proc} does not say). Not part of the
 * public API; package-private: only {@link Lockable.Holder} uses it.
 */
final class ThisProcess {
  private static final String HOST = readHostName();
  private static final String MACHINE = readMachine();

  private ThisProcess() {}

  /** The machine's host name, {@code ""} when unknown. */
  static String hostName() {
    return HOST;
  }

  /** This process's id. */
  static long pid() {
    return ProcessHandle.current().pid();
  }

  /**
   * {@code <host>/<boot id>/<pid namespace>}, or {@code ""} when any part is unknown (then no
   * holder can be proved gone).
   */
  static String machine() {
    return MACHINE;
  }

  /** True when process {@code pid} runs in this process table. */
  static boolean isRunning(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static String readHostName() {
    String fromProc = read(Path.of("/proc/sys/kernel/hostname"));
    if (!fromProc.isEmpty()) {
      return fromProc;
    }
    String env = System.getenv("HOSTNAME");
    return env == null ? "" : env.strip();
  }

  private static String readMachine() {
    String boot = read(Path.of("/proc/sys/kernel/random/boot_id"));
    String namespace;
    try {
      namespace = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      namespace = "";
    }
    return HOST.isEmpty() || boot.isEmpty() || namespace.isEmpty() ? "" : HOST + "/" + boot + "/" + namespace;
  }

  private static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
    } catch (IOException | SecurityException e) {
      return "";
    }
  }
}
