package dev.gitops.k8s.render;

import dev.gitops.k8s.ManifestLoader;
import dev.gitops.model.DesiredState;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Origin;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import dev.gitops.model.Snapshot;
import dev.gitops.source.Loader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Loads what any rendering tool prints ({@code helm template}, jsonnet, cue, a user's script), in
 * the manner of Argo CD's config-management plug-ins: the command runs from an argument vector
 * (never a shell string) on a private copy of the snapshot, in the configured folder of it, with only
 * the allowed environment variables (plus a private {@code HOME}), stdin empty, a timeout (60 s)
 * and an output limit (256 MiB); its stdout is read as multi-document YAML and loaded as a
 * {@link ManifestLoader} loads plain manifests. Resources' origins are {@code <tool output>:LINE}
 * (the line of stdout their document starts on).
 *
 * <p>A tool that cannot be started (not installed) or runs too long or prints too much is a
 * {@link RenderException} naming it; a tool that exits non-zero is an
 * {@link InvalidDesiredStateException} naming the folder and quoting its stderr. The output is
 * rendered again on every load (the tool may read more than the snapshot). Immutable and thread-safe.
 *
 * <pre>{@code
 * Loader helm = CommandRenderer.of(List.of("helm", "template", "web", ".")).withFolder("charts/web");
 * }</pre>
 */
public final class CommandRenderer implements Loader {
  private final List<String> command;
  private final String folder;
  private final Set<String> environment;
  private final Duration timeout;
  private final long maxOutput;
  private final ManifestLoader manifests;

  private CommandRenderer(List<String> command, String folder, Set<String> environment, Duration timeout,
                          long maxOutput, ManifestLoader manifests) {
    this.command = List.copyOf(command);
    if (command.isEmpty() || command.get(0).isBlank()) {
      throw new IllegalArgumentException("command must name a program");
    }
    String f = Kustomizations.normalize("", Objects.requireNonNull(folder, "folder"));
    if (f == null && !folder.isEmpty()) {
      throw new IllegalArgumentException("folder must be a relative path inside the snapshot: " + folder);
    }
    this.folder = f == null ? "" : f;
    this.environment = Set.copyOf(environment);
    if (timeout.isNegative() || timeout.isZero() || maxOutput <= 0) {
      throw new IllegalArgumentException("timeout and maxOutput must be positive");
    }
    this.timeout = timeout;
    this.maxOutput = maxOutput;
    this.manifests = Objects.requireNonNull(manifests, "manifests");
  }

  /**
   * A renderer running {@code command} in the snapshot's root, with only {@code PATH} from the
   * environment.
   *
   * @param command program and arguments, each one argument (no shell: no quoting, no expansion);
   *     a program without a slash is looked up on the {@code PATH}
   * @return the renderer
   */
  public static CommandRenderer of(List<String> command) {
    return new CommandRenderer(command, "", Set.of("PATH"), Duration.ofSeconds(60), 256L << 20,
        new ManifestLoader());
  }

  /**
   * This renderer run in another folder of the snapshot.
   *
   * @param folder a relative path inside the snapshot, {@code ""} for its root
   * @return a new renderer
   */
  public CommandRenderer withFolder(String folder) {
    return new CommandRenderer(command, folder, environment, timeout, maxOutput, manifests);
  }

  /**
   * This renderer passing these variables of this process's environment on (those set); every
   * other variable is left out. {@code HOME} is always a private empty directory.
   *
   * @param names variable names
   * @return a new renderer
   */
  public CommandRenderer withEnvironment(Set<String> names) {
    return new CommandRenderer(command, folder, names, timeout, maxOutput, manifests);
  }

  /**
   * This renderer with another timeout.
   *
   * @param timeout positive
   * @return a new renderer
   */
  public CommandRenderer withTimeout(Duration timeout) {
    return new CommandRenderer(command, folder, environment, timeout, maxOutput, manifests);
  }

  /**
   * This renderer with another output limit.
   *
   * @param bytes positive
   * @return a new renderer
   */
  public CommandRenderer withMaxOutput(long bytes) {
    return new CommandRenderer(command, folder, environment, timeout, bytes, manifests);
  }

  /**
   * This renderer loading the output with {@code manifests}.
   *
   * @param manifests the plain loader
   * @return a new renderer
   */
  public CommandRenderer withManifests(ManifestLoader manifests) {
    return new CommandRenderer(command, folder, environment, timeout, maxOutput, manifests);
  }

  /**
   * The argument vector.
   *
   * @return program and arguments
   */
  public List<String> command() {
    return command;
  }

  @Override
  public DesiredState load(Snapshot snapshot) {
    String tool = program();
    String where = folder.isEmpty() ? "." : folder;
    ToolRun.Result run;
    try (Workspace ws = Workspace.of(snapshot)) {
      Map<String, String> env = new TreeMap<>();
      for (String name : new TreeSet<>(environment)) {
        String value = System.getenv(name);
        if (value != null) {
          env.put(name, value);
        }
      }
      env.put("HOME", ws.home().toString());
      run = ToolRun.run(tool, "Install " + tool + ", or configure another command (--render=command:...)",
          command, ws.resolve(folder), env, timeout, maxOutput);
      if (run.exit() != 0) {
        String err = ToolRun.shown(run.stderr().replace(ws.root().toString() + "/", ""));
        throw new InvalidDesiredStateException(List.of(new Problem(where, 0, null,
            tool + " exited with status " + run.exit() + (err.isEmpty() ? "" : ": " + err))));
      }
    }
    String file = "<" + tool + " output>";
    List<RenderedDocs.Doc> docs = RenderedDocs.split(run.stdout());
    return RenderedDocs.load(docs, snapshot.revision(), manifests, new RenderedDocs.Mapper() {
      @Override
      public Resource resource(int doc, Resource loaded) {
        return loaded.withOrigin(at(doc, loaded.origin().line()));
      }

      @Override
      public Origin at(int doc, int line) {
        return new Origin(file, docs.get(doc).line() + Math.max(line, 1) - 1);
      }
    });
  }

  private String program() {
    String p = command.get(0);
    return p.substring(p.lastIndexOf('/') + 1);
  }

  @Override
  public String toString() {
    return "CommandRenderer[" + String.join(" ", command) + " in " + (folder.isEmpty() ? "." : folder) + "]";
  }
}
