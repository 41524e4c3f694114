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
      if (a.equals("--")) {
        break;
      } else if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) {
        return new EarlySource(null, null, null, null, null);
      } else if (a.startsWith("--repo=") || a.equals("--repo")) {
        repo = a.equals("--repo") ? next : a.substring("--repo=".length());
      } else if (a.startsWith("--ref=") || a.equals("--ref")) {
        ref = a.equals("--ref") ? next : a.substring("--ref=".length());
      } else if (a.startsWith("--path=") || a.equals("--path")) {
        path = a.equals("--path") ? next : a.substring("--path=".length());
      } else if (a.startsWith("--exclude=") || a.equals("--exclude")) {
        exclude.add(a.equals("--exclude") ? next : a.substring("--exclude=".length()));
      }
    }
    if (repo == null || ref == null || path == null || exclude.contains(null)) {
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

  /** Closes the early source when no command took it. */
  @Override
  public void close() {
    if (source != null) {
      source.close();
      source = null;
    }
  }
}
