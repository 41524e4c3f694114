package dev.gitops.samples.cli;

import dev.gitops.apply.ApplyOptions;
import dev.gitops.source.Loader;
import dev.gitops.ssh.FileTreeLoader;
import dev.gitops.ssh.FilesTarget;
import dev.gitops.ssh.Host;
import dev.gitops.ssh.SshHost;
import dev.gitops.ssh.SystemSshHost;
import dev.gitops.target.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A target with the loader that goes with it: files for {@code dir:} and {@code ssh://}, manifests
 * for {@code k8s*} (the target gives its own plan defaults). Closing it closes connections and mock
 * servers.
 *
 * @param target the target
 * @param loader the loader for its desired state
 * @param applyOptions apply options for this target (how long to wait for health, how often to look)
 * @param closeables what to close, in order
 */
public record Binding(Target target, Loader loader, ApplyOptions applyOptions,
                      List<AutoCloseable> closeables) implements AutoCloseable {

  /**
   * This binding loading as {@code --render} says: for Kubernetes targets {@code auto} (the default),
   * {@code plain}, {@code kustomize} or {@code command:PROGRAM ARG...} (see
   * {@link dev.gitops.k8s.render.Renderers#parse}); file targets take {@code auto} and {@code plain}.
   *
   * @param spec the option's value
   * @return the binding with that loader
   * @throws IllegalArgumentException naming the accepted values
   */
  public Binding withRender(String spec) {
    if (loader instanceof dev.gitops.k8s.ManifestLoader plain) {
      return new Binding(target, dev.gitops.k8s.render.Renderers.parse(spec, plain), applyOptions,
          closeables);
    }
    if (spec.equals("auto") || spec.equals("plain")) {
      return this;
    }
    close();
    throw new IllegalArgumentException("--render=" + spec + ": renderers apply to k8s targets; file targets take"
        + " auto or plain");
  }

  /**
   * Connects to the target {@code spec} names.
   *
   * @param spec the parsed {@code --target}
   * @param identity SSH private key, for {@code ssh://}
   * @param knownHosts known_hosts file, for {@code ssh://}
   * @param out where to tell the person what the embedded defaults do
   */
  public static Binding open(TargetSpec spec, Path identity, Path knownHosts, java.io.PrintWriter out) {
    return open(spec, identity, knownHosts, TargetOptions.DEFAULT_NAMESPACE, out);
  }

  /**
   * Connects to the target {@code spec} names.
   *
   * @param spec the parsed {@code --target}
   * @param identity SSH private key, for {@code ssh://}
   * @param knownHosts known_hosts file, for {@code ssh://}
   * @param namespace default namespace of namespaced manifests, for {@code k8s*}
   * @param out where to tell the person what the embedded defaults do
   */
  public static Binding open(TargetSpec spec, Path identity, Path knownHosts, String namespace,
                             java.io.PrintWriter out) {
    return open(spec, identity, knownHosts, SshClientKind.AUTO, namespace, out);
  }

  /**
   * Connects to the target {@code spec} names.
   *
   * @param spec the parsed {@code --target}
   * @param identity SSH private key, for {@code ssh://}
   * @param knownHosts known_hosts file, for {@code ssh://}
   * @param client the SSH client, for {@code ssh://}; {@link SshClientKind#AUTO} as for a command that writes
   * @param namespace default namespace of namespaced manifests, for {@code k8s*}
   * @param out where to tell the person what the embedded defaults do
   */
  public static Binding open(TargetSpec spec, Path identity, Path knownHosts, SshClientKind client, String namespace,
                             java.io.PrintWriter out) {
    return open(spec, identity, knownHosts, client, true, namespace, out);
  }

  /**
   * Connects to the target {@code spec} names, for a command that writes or one that only reads.
   * Through the system's {@code ssh}, a command that writes shares one connection among its many
   * commands ({@code ControlMaster}); one that only reads runs one remote command (the reader, which
   * serves every read of the run), so its {@code ssh} is the connection: no control socket, no master
   * process to fork and to stop with {@code ssh -O exit} (together 40-50 ms of a no-op plan).
   *
   * @param spec the parsed {@code --target}
   * @param identity SSH private key, for {@code ssh://}
   * @param knownHosts known_hosts file, for {@code ssh://}
   * @param client the SSH client, for {@code ssh://}; {@link SshClientKind#AUTO} as for a command that writes
   * @param writes false for a command that only reads the target
   * @param namespace default namespace of namespaced manifests, for {@code k8s*}
   * @param out where to tell the person what the embedded defaults do
   */
  public static Binding open(TargetSpec spec, Path identity, Path knownHosts, SshClientKind client, boolean writes,
                             String namespace, java.io.PrintWriter out) {
    return open(spec, identity, knownHosts, client, writes, DEFAULT_PERSIST, namespace, out);
  }

  /** How long a connection through the system's {@code ssh} is kept for the next command ({@code --ssh-persist}). */
  public static final Duration DEFAULT_PERSIST = Duration.ofSeconds(60);
  /** {@link #DEFAULT_PERSIST} as the command line writes it (the options' {@code defaultValue}). */
  public static final String DEFAULT_PERSIST_TEXT = "60s";

  /**
   * As {@link #open(TargetSpec, Path, Path, SshClientKind, boolean, String, java.io.PrintWriter)}, with
   * the connection of the system's {@code ssh} kept {@code persist} for the next command, this one's or a
   * later one's built alike ({@link SystemSshHost.Builder#controlFolder}, in {@link #controlFolder()}), as
   * Ansible keeps its connections: a later plan then pays no handshake and no authentication (about 0.1 s of a
   * no-op plan on a 2-core machine). Zero: the connection ends with the command.
   *
   * @param spec the parsed {@code --target}
   * @param identity SSH private key, for {@code ssh://}
   * @param knownHosts known_hosts file, for {@code ssh://}
   * @param client the SSH client, for {@code ssh://}; {@link SshClientKind#AUTO} as for a command that writes
   * @param writes false for a command that only reads the target
   * @param persist how long the system's {@code ssh} keeps the connection after the last command; zero for none
   * @param namespace default namespace of namespaced manifests, for {@code k8s*}
   * @param out where to tell the person what the embedded defaults do
   */
  public static Binding open(TargetSpec spec, Path identity, Path knownHosts, SshClientKind client, boolean writes,
                             Duration persist, String namespace, java.io.PrintWriter out) {
    if (spec instanceof TargetSpec.Dir dir) {
      if (java.nio.file.Files.exists(dir.root()) && !java.nio.file.Files.isDirectory(dir.root())) {
        throw new IllegalArgumentException("--target dir:" + dir.root() + ": a file, not a directory");
      }
      return files(FilesTarget.local(dir.root()), List.of());
    }
    if (spec instanceof TargetSpec.Ssh ssh) {
      if (identity == null || knownHosts == null) {
        throw new IllegalArgumentException("an ssh:// target needs --identity FILE and --known-hosts FILE");
      }
      // auto not resolved by the caller for a read is taken as a command that writes
      Host host = client.forCommand(true) == SshClientKind.OPENSSH ? system(ssh, identity, knownHosts, writes, persist)
          : builtin(ssh, identity, knownHosts);
      FilesTarget target = FilesTarget.of(host, ssh.root());
      target.prepareRead(); // connect and start the remote reader while the command reads Git
      return files(target, List.of(host));
    }
    return Kubernetes.open(spec, namespace, out);
  }

  /**
   * The system's {@code ssh}: one process per command; the connection kept {@code persist} in the
   * control folder, or, with zero, shared among a command's commands when it writes and not at all
   * when it only reads.
   */
  private static Host system(TargetSpec.Ssh ssh, Path identity, Path knownHosts, boolean writes, Duration persist) {
    SystemSshHost.Builder b = SystemSshHost.builder().host(ssh.host()).port(ssh.port()).user(ssh.user())
        .identity(identity).knownHosts(knownHosts)
        .connectTimeout(Duration.ofSeconds(10)).commandTimeout(Duration.ofMinutes(2));
    if (persist.isZero() || persist.isNegative()) {
      return b.multiplex(writes ? Duration.ofSeconds(30) : Duration.ZERO).build();
    }
    return b.multiplex(persist).controlFolder(controlFolder()).build();
  }

  /**
   * Where kept connections live: {@code $XDG_RUNTIME_DIR/gitops-ssh} (the user's own, in memory, gone
   * at logout), else {@code ${XDG_CACHE_HOME:-~/.cache}/gitops/ssh}; the host uses it only when it is
   * this user's alone.
   */
  static Path controlFolder() {
    String runtime = System.getenv("XDG_RUNTIME_DIR");
    if (runtime != null && runtime.startsWith("/")) {
      return Path.of(runtime, "gitops-ssh");
    }
    return cacheFolder().resolve("ssh");
  }

  /** The command line's cache folder: {@code ${XDG_CACHE_HOME:-~/.cache}/gitops}, the user's own. */
  static Path cacheFolder() {
    String cache = System.getenv("XDG_CACHE_HOME");
    Path base = cache != null && cache.startsWith("/") ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("gitops");
  }

  /** Apache MINA SSHD, in this JVM. */
  private static Host builtin(TargetSpec.Ssh ssh, Path identity, Path knownHosts) {
    return SshHost.builder().host(ssh.host()).port(ssh.port()).user(ssh.user())
        .identity(identity, null).knownHosts(knownHosts)
        .connectTimeout(Duration.ofSeconds(10)).commandTimeout(Duration.ofMinutes(2)).build();
  }

  private static Binding files(FilesTarget target, List<AutoCloseable> more) {
    List<AutoCloseable> closeables = new ArrayList<>();
    closeables.add(target);
    closeables.addAll(more);
    return new Binding(target, FileTreeLoader.root(), ApplyOptions.defaults(), closeables);
  }

  @Override
  public void close() {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        org.slf4j.LoggerFactory.getLogger(Binding.class).warn("closing {}: {}", c, e.getMessage());
      }
    }
  }
}
