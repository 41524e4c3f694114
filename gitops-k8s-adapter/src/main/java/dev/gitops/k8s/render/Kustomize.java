package dev.gitops.k8s.render;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kustomize a {@link KustomizeLoader} runs: a {@code kustomize} executable ({@code kustomize
 * build DIR}) or {@code kubectl}, which has Kustomize built in ({@code kubectl kustomize DIR}).
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * Kustomize k = Kustomize.find();              // kustomize on the PATH, else kubectl
 * System.out.println(k + " " + k.version());   // kubectl kustomize v5.5.0
 * }</pre>
 */
public final class Kustomize {
  private static final Pattern VERSION = Pattern.compile("(?i)kustomize[^\\n]*?(v\\d+\\.\\d+\\.\\d+\\S*)");
  /** A proxy nobody listens at: the discard port of the loopback address, where a connection is refused. */
  private static final String NO_PROXY = "http://127.0.0.1:9";
  private final Path executable;
  private final boolean kubectl;

  private Kustomize(Path executable, boolean kubectl) {
    this.executable = executable;
    this.kubectl = kubectl;
  }

  /**
   * The Kustomize at {@code executable}: {@code kubectl} when its file name starts with
   * {@code kubectl}, a {@code kustomize} binary otherwise. It is not checked here: a missing one
   * fails the first render, naming it.
   *
   * @param executable path of {@code kustomize} or {@code kubectl}
   * @return the tool
   */
  public static Kustomize at(Path executable) {
    Objects.requireNonNull(executable, "executable");
    return new Kustomize(executable, executable.getFileName().toString().startsWith("kubectl"));
  }

  /**
   * The Kustomize on the {@code PATH}: a {@code kustomize} executable if there is one, else
   * {@code kubectl}.
   *
   * @return the tool, or empty when neither is on the {@code PATH}
   */
  public static Optional<Kustomize> onPath() {
    Path k = which("kustomize");
    if (k != null) {
      return Optional.of(new Kustomize(k, false));
    }
    Path c = which("kubectl");
    return c == null ? Optional.empty() : Optional.of(new Kustomize(c, true));
  }

  /**
   * As {@link #onPath()}, failing when neither tool is there.
   *
   * @return the tool
   * @throws RenderException naming both tools and the option to set
   */
  public static Kustomize find() {
    return onPath().orElseThrow(() -> new RenderException(
        "Kustomize not found: neither kustomize nor kubectl is on the PATH; install one, or give its"
            + " path with KustomizeLoader.withTool(Kustomize.at(path))"));
  }

  /**
   * The executable this runs.
   *
   * @return its path
   */
  public Path executable() {
    return executable;
  }

  /**
   * The Kustomize version, asked of the tool ({@code kustomize version} or
   * {@code kubectl version --client}), e.g. {@code v5.5.0}.
   *
   * @return the version, or {@code unknown} when the tool's answer has none
   * @throws RenderException when the tool cannot be run
   */
  public String version() {
    List<String> argv = kubectl ? List.of(executable.toString(), "version", "--client")
        : List.of(executable.toString(), "version");
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory("gitops-kustomize-version-");
      ToolRun.Result r = ToolRun.run(toString(), hint(), argv, scratch, environment(scratch, false),
          Duration.ofSeconds(30), 1 << 20);
      Matcher m = VERSION.matcher(new String(r.stdout(), StandardCharsets.UTF_8) + "\n" + r.stderr());
      return m.find() ? m.group(1) : "unknown";
    } catch (java.io.IOException e) {
      throw new RenderException(this + ": " + ToolRun.said(e), e);
    } finally {
      if (scratch != null) {
        scratch.toFile().listFiles(File::delete);
        scratch.toFile().delete();
      }
    }
  }

  /** The build command for {@code dir}: root-only load restrictor, no plug-ins, no Helm. */
  List<String> build(Path dir) {
    List<String> argv = new ArrayList<>();
    argv.add(executable.toString());
    argv.add(kubectl ? "kustomize" : "build");
    argv.add(dir.toString());
    argv.add("--load-restrictor=LoadRestrictionsRootOnly");
    return argv;
  }

  /**
   * The environment a run gets: the PATH and a private, empty home; nothing else. Without
   * {@code network}, every HTTP(S) proxy variable names a closed local port, so a fetch that
   * {@link Kustomizations#walk} did not see coming fails instead of leaving the machine (Go's
   * {@code http.ProxyFromEnvironment} and git's curl both honour them; Go sends requests to a
   * loopback address without the proxy, which the check before the run is for).
   */
  static Map<String, String> environment(Path home, boolean network) {
    String path = System.getenv("PATH");
    Map<String, String> env = new HashMap<>(Map.of("PATH", path == null ? "/usr/bin:/bin" : path,
        "HOME", home.toString(), "XDG_CONFIG_HOME", home.resolve(".config").toString(),
        "KUSTOMIZE_PLUGIN_HOME", home.resolve("no-plugins").toString()));
    if (!network) {
      for (String name : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy")) {
        env.put(name, NO_PROXY);
      }
    }
    return Map.copyOf(env);
  }

  /** What to do when the tool is missing. */
  String hint() {
    return "Install Kustomize or kubectl, or give the path with KustomizeLoader.withTool(Kustomize.at(path))";
  }

  private static Path which(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** {@code kubectl kustomize} or {@code kustomize build}, the way it is named in messages. */
  @Override
  public String toString() {
    return kubectl ? "kubectl kustomize" : "kustomize";
  }
}
