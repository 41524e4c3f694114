package dev.gitops.samples.cli;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --target}, {@code --owner}, {@code --namespace}, {@code --identity}, {@code --known-hosts},
 * {@code --ssh-client}, {@code --render}, {@code --kubeconfig}, {@code --context}.
 */
public final class TargetOptions {
  /** The namespace of namespaced manifests that name none, unless {@code --namespace} or the kubeconfig context says another. */
  public static final String DEFAULT_NAMESPACE = "default";

  @Option(names = "--target", required = true, paramLabel = "TARGET",
      description = "dir:PATH | ssh://user@host[:port]/root | k8s | k8s:CONTEXT | k8s-mock")
  String target;

  @Option(names = "--owner", paramLabel = "NAME", defaultValue = "gitops",
      description = "Reconciler name: owner of what it applies; prune touches nothing else. Default: ${DEFAULT-VALUE}.")
  String owner;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
      description = "Kubernetes targets: the namespace of namespaced manifests that name none (as kubectl apply -n)."
          + " Default: the kubeconfig context's namespace, else " + DEFAULT_NAMESPACE + ".")
  String namespace;

  @Mixin KubeconfigOptions kube = new KubeconfigOptions(); // also when made without picocli

  @Option(names = "--identity", paramLabel = "FILE", description = "SSH private key (ssh:// targets).")
  Path identity;

  @Option(names = "--known-hosts", paramLabel = "FILE",
      description = "known_hosts file (ssh:// targets); unknown or changed host keys are refused.")
  Path knownHosts;

  @Option(names = "--ssh-client", paramLabel = "CLIENT", defaultValue = "auto",
      description = "ssh:// targets: openssh (the system's ssh, as git and Ansible use: no ssh_config, only --identity"
          + " and --known-hosts, one shared connection for commands that write), builtin (Apache MINA SSHD in this"
          + " JVM), or auto (plan: openssh when ssh is on PATH, else builtin; commands that write: builtin, whose SFTP"
          + " needs no remote shell per file). Default: ${DEFAULT-VALUE}.")
  String sshClient = "auto";

  @Option(names = "--ssh-persist", paramLabel = "DURATION", defaultValue = Binding.DEFAULT_PERSIST_TEXT,
      converter = Durations.class,
      description = "ssh:// targets through the system's ssh: keep the connection this long after the command, for"
          + " the next one with the same target, key and known_hosts (as Ansible does: no handshake, no authentication), in a"
          + " private folder ($XDG_RUNTIME_DIR/gitops-ssh, else ~/.cache/gitops/ssh). 0: the connection ends with"
          + " the command. Default: ${DEFAULT-VALUE}.")
  java.time.Duration sshPersist = Binding.DEFAULT_PERSIST;

  @Option(names = "--render", paramLabel = "HOW", defaultValue = "auto",
      description = "How k8s targets load the desired state: auto (Kustomize where the folder has a kustomization,"
          + " else plain manifests), plain, kustomize, or command:PROGRAM ARG... (e.g. 'command:helm template web .';"
          + " split at spaces, never run by a shell). Default: ${DEFAULT-VALUE}.")
  String render = "auto";

  private final EarlyTarget early;

  /** Options without an early connection. */
  public TargetOptions() {
    this(null);
  }

  /** Options that take {@code early}'s connection when they name its target (see {@link EarlyTarget}). */
  TargetOptions(EarlyTarget early) {
    this.early = early;
  }

  /** The parsed target. */
  public TargetSpec spec() {
    return TargetSpec.parse(target);
  }

  /** The owner name. */
  public String owner() {
    return owner;
  }

  /** The default namespace of namespaced manifests: {@code -n}, else the kubeconfig context's, else {@code default}. */
  public String namespace() {
    return kube.namespace(spec(), namespace);
  }

  /** Connects for a command that may write; {@code out} hears what embedded defaults do (pass standard error). */
  public Binding open(java.io.PrintWriter out) {
    return open(out, true);
  }

  /**
   * Connects; {@code out} hears what embedded defaults do (pass standard error).
   *
   * @param out where embedded defaults are reported
   * @param writes false for a command that only reads the target (chooses {@code --ssh-client auto}'s client)
   * @return the binding
   */
  public Binding open(java.io.PrintWriter out, boolean writes) {
    SshClientKind client = SshClientKind.parse(sshClient).forCommand(writes);
    Binding started = early == null ? null : early.take(target, identity, knownHosts, client, writes, sshPersist);
    TargetSpec spec = spec();
    Binding binding = started != null ? started
        : spec instanceof TargetSpec.Kube k ? Kubernetes.open(kube.config(k), namespace())
        : Binding.open(spec, identity, knownHosts, client, writes, sshPersist, namespace(), out);
    return binding.withRender(render);
  }
}
