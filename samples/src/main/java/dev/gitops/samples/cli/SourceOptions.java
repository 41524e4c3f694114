package dev.gitops.samples.cli;

import dev.gitops.source.GitSource;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --repo}, {@code --ref}, {@code --path}, {@code --exclude}: where the desired state comes from. */
public final class SourceOptions {
  @Option(names = "--repo", required = true, paramLabel = "URL|PATH",
      description = "Git repository: a local path, file://, https://, ssh:// or git@host:repo.")
  String repo;

  @Option(names = "--ref", paramLabel = "REF", defaultValue = DEFAULT_REF,
      description = "Branch, tag, commit id or semver:<range> (npm grammar, e.g. 'semver:^1.2'). Default: ${DEFAULT-VALUE}.")
  String ref;

  @Option(names = "--path", paramLabel = "DIR", defaultValue = "",
      description = "Subdirectory of the repository that holds the desired state.")
  String path;

  @Option(names = "--exclude", paramLabel = "GLOB",
      description = "Leave out of what is read files matching this gitignore pattern (relative to --path); repeatable.")
  java.util.List<String> exclude = new java.util.ArrayList<>();

  /** The ref read when {@code --ref} is not given. */
  static final String DEFAULT_REF = "main";

  private final EarlySource early;

  /** Options that open their own source. */
  public SourceOptions() {
    this(null);
  }

  /** Options that take {@code early}'s source when it is the one they name. */
  SourceOptions(EarlySource early) {
    this.early = early;
  }

  /** The repository as a URL JGit understands: local paths become absolute. */
  public String url() {
    return normalize(repo);
  }

  /** The ref asked for. */
  public String ref() {
    return ref;
  }

  /** The subdirectory. */
  public String path() {
    return path;
  }

  /** A Git source over these options. */
  public GitSource open() {
    String url = url();
    GitSource taken = early == null ? null : early.take(url, ref, path, exclude);
    return taken != null ? taken : source(url, ref, path, exclude);
  }

  /** A Git source over {@code url} (normalised), {@code ref}, {@code path} and {@code exclude}. */
  static GitSource source(String url, String ref, String path, java.util.List<String> exclude) {
    GitSystemConfig.prime();
    return GitSource.builder(url).ref(ref).path(path).exclude(exclude.toArray(String[]::new)).build();
  }

  /** A Git source over {@code url}, {@code ref} and {@code path}. */
  public static GitSource source(String url, String ref, String path) {
    GitSystemConfig.prime();
    return GitSource.builder(normalize(url)).ref(ref).path(path).build();
  }

  /** {@code repo} as a URL JGit understands: a local path becomes absolute (and must exist). */
  static String normalize(String repo) {
    if (repo.contains("://") || repo.matches("[^/]+@[^/:]+:.*")) {
      return repo;
    }
    Path local = Path.of(repo).toAbsolutePath().normalize();
    if (!Files.exists(local)) {
      throw new IllegalArgumentException("--repo " + repo + ": no such directory" + (repo.startsWith("~")
          ? " ('~' is not expanded here: a shell expands it only at the start of a word, not after --repo=)" : ""));
    }
    if (Files.isRegularFile(local) && !isBundle(local)) { // git clone takes a bundle file, nothing else
      throw new IllegalArgumentException("--repo " + repo + ": a file, not a Git repository (a directory, a bundle"
          + " or a URL); --path names the folder inside the repository");
    }
    return local.toString();
  }

  /** True when {@code file} starts as a Git bundle does ({@code # v2 git bundle}, {@code # v3 git bundle}). */
  private static boolean isBundle(Path file) {
    byte[] head = new byte[16];
    try (java.io.InputStream in = Files.newInputStream(file)) {
      int n = in.readNBytes(head, 0, head.length);
      String text = new String(head, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
      return text.startsWith("# v2 git bundle") || text.startsWith("# v3 git bundle");
    } catch (java.io.IOException e) {
      return true; // let Git say what is wrong with it
    }
  }
}
