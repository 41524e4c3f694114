package dev.gitops.samples.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.util.FS;

/**
 * Where git's system-wide configuration file is, remembered from one run of the command line to the
 * next. JGit finds it in every new process by running {@code git --version} and
 * {@code git config --system --show-origin --list -z} (two processes on the way to every command's
 * first Git read, which a one-shot {@code plan} pays each time). What git answers depends on the
 * {@code git} JGit runs (the first on {@code PATH}) and {@code GIT_CONFIG_SYSTEM}, so the answer is
 * kept under the user's cache directory named after both (the program's real path, size, modification
 * time and inode, and the variable) and taken while the file it names is there; otherwise (no git on
 * {@code PATH}, no system configuration found, {@code GIT_CONFIG_NOSYSTEM} set, another git or another
 * variable) JGit finds it as before, and a file it finds is remembered. Never an error: a cache that
 * cannot be read or written leaves JGit's own discovery.
 */
final class GitSystemConfig {
  private static final String FORMAT = "gitops-git-system-config 1";

  private static boolean primed;

  private GitSystemConfig() {}

  /** {@link #prime} for this process ({@link FS#DETECTED}, its environment, the user's cache), once. */
  static synchronized void prime() {
    if (!primed) {
      primed = true;
      prime(FS.DETECTED, System.getenv(), Binding.cacheFolder().resolve("git-system-config"));
    }
  }

  /**
   * Tells {@code fs} where the system configuration is, from {@code cache} when it remembers it for the
   * git and environment at hand, else by JGit's discovery (remembered when it finds a file).
   *
   * @param fs the file system JGit reads the system configuration through ({@link FS#DETECTED})
   * @param env the environment ({@code PATH}, {@code GIT_CONFIG_SYSTEM}, {@code GIT_CONFIG_NOSYSTEM})
   * @param cache the file that remembers it
   * @return the system configuration file JGit will read, or null when none
   */
  static File prime(FS fs, Map<String, String> env, Path cache) {
    String noSystem = env.get("GIT_CONFIG_NOSYSTEM");
    Path git = onPath(env.get("PATH"));
    if (git != null && git.toString().equals("/usr/bin/git") && System.getProperty("os.name", "").startsWith("Mac")) {
      git = null; // JGit asks a login shell for another git there (FS_POSIX.discoverGitExe): not known here
    }
    String key = git == null || noSystem != null && !noSystem.isEmpty() ? null : key(git, env);
    if (key == null) {
      return null; // JGit reads none (GIT_CONFIG_NOSYSTEM) or finds what it finds: nothing to remember
    }
    File remembered = remembered(cache, key);
    if (remembered != null) {
      fs.setGitSystemConfig(remembered);
      return remembered;
    }
    File found = fs.getGitSystemConfig(); // JGit's discovery, once, as it would run it on the first read
    if (found != null && found.isFile()) {
      remember(cache, key, found);
    }
    return found;
  }

  /** The file {@code cache} remembers for {@code key}, when it is there now; else null. */
  static File remembered(Path cache, String key) {
    try {
      List<String> lines = Files.readAllLines(cache, StandardCharsets.UTF_8);
      if (lines.size() == 3 && lines.get(0).equals(FORMAT) && lines.get(1).equals(key)) {
        File file = new File(lines.get(2));
        return file.isAbsolute() && file.isFile() ? file : null;
      }
    } catch (IOException | RuntimeException e) {
      // not remembered (missing, unreadable, not text): found again
    }
    return null;
  }

  /** Writes {@code file} as the answer for {@code key}: whole, renamed into place; a failure is ignored. */
  static void remember(Path cache, String key, File file) {
    String text = String.join("\n", FORMAT, key, file.getAbsolutePath(), "");
    if (text.chars().filter(c -> c == '\n').count() != 3) {
      return; // a path or key with a line break is not remembered
    }
    Path tmp = cache.resolveSibling(cache.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    try {
      Files.createDirectories(cache.getParent());
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // a leftover temporary file of a cache
      }
    }
  }

  /**
   * What git's answer depends on: the program (its real path, size, modification time and inode: a
   * new git is another key) and {@code GIT_CONFIG_SYSTEM}; null when the program cannot be looked at.
   */
  static String key(Path git, Map<String, String> env) {
    try {
      Path real = git.toRealPath();
      Map<String, Object> a = Files.readAttributes(real, "unix:size,lastModifiedTime,ino");
      String system = env.get("GIT_CONFIG_SYSTEM");
      // joined, not concatenated: a concatenation of this shape is linked (classes spun) at run time
      return String.join("\0", real.toString(), String.valueOf(a.get("size")),
          String.valueOf(((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).toInstant()),
          String.valueOf(a.get("ino")), system == null ? "-" : "=".concat(system));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The first file named {@code git} on {@code path}, the one JGit runs; null when none. */
  static Path onPath(String path) {
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      try {
        Path git = Path.of(dir, "git");
        if (Files.isRegularFile(git)) { // JGit's test too (FS.searchPath): the first file named git
          return git;
        }
      } catch (RuntimeException e) {
        // a PATH entry that is no path: the next
      }
    }
    return null;
  }
}
