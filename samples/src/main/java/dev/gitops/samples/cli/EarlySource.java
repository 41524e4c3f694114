package dev.gitops.samples.cli;

import dev.gitops.source.GitSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Git source of a {@code plan} or {@code push}, opened and read while the command line is still being
 * set up: the arguments are scanned for {@code --repo}, {@code --ref}, {@code --path} and
 * {@code --exclude}, the source is built as {@link SourceOptions#open()} builds it, and
 * {@link GitSource#prepare} resolves the ref and reads its files on a thread of its own while picocli
 * reads its options. The command takes it only when the options it parsed are the same (an argument
 * file, {@code @file}, may say otherwise: then it is closed and the command opens its own); nothing it
 * does is reported (the command's own read reports what fails). Links no picocli class, like
 * {@link EarlyTarget}. Not thread-safe (the command line's thread).
 */
public final class EarlySource implements AutoCloseable {
  private static final Set<String> COMMANDS = Set.of("plan", "push");
  private final String url;
  private final String ref;
  private final String path;
  private final List<String> exclude;
  private GitSource source;

  private EarlySource(String url, String ref, String path, List<String> exclude, GitSource source) {
    this.url = url;
    this.ref = ref;
    this.path = path;
    this.exclude = exclude;
    this.source = source;
  }

  /**
   * Starts reading the source {@code args} name for a command that reads one; never throws.
   *
   * @param command the command the arguments name, or null
   * @param args the command line's arguments
   * @return the early source, reading or none
   */
  public static EarlySource start(String command, String... args) {
    if (command == null || !COMMANDS.contains(command)) {
      return new EarlySource(null, null, null, null, null);
    }
    String repo = null;
    String ref = SourceOptions.DEFAULT_REF;
    String path = "";
    List<String> exclude = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String next = i + 1 < args.length ? args[i + 1] : null;
      String v;
      if (a.equals("--")) {
        break;
      } else if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) {
        return new EarlySource(null, null, null, null, null);
      } else if ((v = value("--repo", a, next)) != null) {
        repo = v;
      } else if ((v = value("--ref", a, next)) != null) {
        ref = v;
      } else if ((v = value("--path", a, next)) != null) {
        path = v;
      } else if ((v = value("--exclude", a, next)) != null) {
        exclude.add(v);
      }
    }
    if (repo == null) {
      return new EarlySource(null, null, null, null, null);
    }
    try {
      String url = SourceOptions.normalize(repo);
      GitSource source = SourceOptions.source(url, ref, path, exclude);
      source.prepare(ref);
      return new EarlySource(url, ref, path, List.copyOf(exclude), source);
    } catch (RuntimeException e) {
      return new EarlySource(null, null, null, null, null); // the command's own open reports it
    }
  }

  /**
   * The value {@code a} gives option {@code name}: {@code --name=value}, or the {@code next} argument
   * after {@code --name}; null when {@code a} is another argument (or the value is missing).
   */
  static String value(String name, String a, String next) {
    if (a.equals(name)) {
      return next;
    }
    return a.startsWith(name) && a.length() > name.length() && a.charAt(name.length()) == '='
        ? a.substring(name.length() + 1) : null;
  }

  /** {@return true when a source is being read and no command took it yet} */
  public boolean holdsSource() {
    return source != null;
  }

  /**
   * The early source, when it is of {@code url}, {@code ref}, {@code path} and {@code exclude} (the caller
   * then owns it); otherwise null, and an early source of anything else is closed.
   */
  GitSource take(String url, String ref, String path, List<String> exclude) {
    GitSource s = source;
    source = null;
    if (s != null && !(this.url.equals(url) && this.ref.equals(ref) && this.path.equals(path)
        && this.exclude.equals(exclude))) {
      s.close();
      return null;
    }
    return s;
  }

  /**
   * Closes the early source when no command took it (the command line refused its options, or named
   * another source), on a daemon thread of its own: closing waits for a read still going on ahead
   * (a first fetch of a large repository, a remote that does not answer), which the process need not
   * wait for before it exits; a fetch cut short by the exit leaves the cache as it was.
   */
  @Override
  public void close() {
    GitSource untaken = source;
    source = null;
    if (untaken != null) {
      Thread closing = new Thread(untaken::close, "gitops-source-close");
      closing.setDaemon(true);
      closing.start();
    }
  }
}
