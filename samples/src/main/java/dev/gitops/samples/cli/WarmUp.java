package dev.gitops.samples.cli;

import java.util.Set;
import javax.crypto.Mac;
import org.eclipse.jgit.util.SystemReader;

/**
 * Process-wide set-up that a command reading Git will do anyway, started on a thread of its own while
 * the main thread builds the command line (picocli reads every option's annotations first, about 30 ms
 * of a one-shot {@code plan}): JGit's configuration files (system, user, its own) with the static state
 * their first read initialises (the file-store attributes, the shutdown hook, the message bundle of
 * about 900 texts), and the security providers a redaction key's HMAC is looked up in (five are
 * loaded and initialised on the first lookup). Both are cached for the process, so the command's own
 * first Git read and first HMAC find them ready instead of paying for them on the main thread. It only
 * warms what would be read the same way later: nothing fails because of it (an error here is left for
 * the command's own read to report, with its context), and the command never waits for it.
 */
public final class WarmUp {
  private static final Set<String> COMMANDS = Set.of("plan", "apply", "push", "pull");

  private WarmUp() {}

  /**
   * Starts warming up when {@code command} reads Git; otherwise does nothing.
   *
   * @param command the command the arguments name (their first word), or null
   * @param gitAhead true when an {@link EarlySource} reads Git already (JGit's configuration with it)
   */
  public static void start(String command, boolean gitAhead) {
    if (command != null && COMMANDS.contains(command)) {
      Thread warm = new Thread(() -> run(!gitAhead), "gitops-warm-up");
      warm.setDaemon(true); // the command never waits for it, nor does the process's exit
      warm.start();
    }
  }

  static void run(boolean git) {
    try {
      if (git) {
        GitSystemConfig.prime(); // where the system configuration is, before JGit's first read looks for it
        SystemReader.getInstance().getUserConfig();
      }
    } catch (Exception e) {
      // a configuration that cannot be read is reported by the command's own read, with its context
    }
    try {
      Mac.getInstance("HmacSHA256");
    } catch (Exception e) {
      // likewise: the redaction key's own lookup says what is missing
    }
  }
}
