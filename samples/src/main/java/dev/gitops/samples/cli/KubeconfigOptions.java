package dev.gitops.samples.cli;

import static dev.gitops.model.ResourceId.escape;

import dev.gitops.k8s.KubeconfigCredentials;
import io.fabric8.kubernetes.api.model.Context;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --kubeconfig} and {@code --context}: which cluster a {@code k8s} target is, read as kubectl
 * reads it, through fabric8's own loading: {@code --kubeconfig FILE} alone, else every file of
 * {@code KUBECONFIG} (separated by {@code :}; the first file that sets a key wins, the first
 * {@code current-context} counts), else {@code ~/.kube/config}, else the pod's service account. A
 * literal {@code ~} is not expanded (kubectl does not either: a shell expands it at the start of a
 * word only). The context is {@code --context}, {@code --target k8s:CONTEXT} or the current one; it
 * must exist and name a cluster and user the kubeconfig has (fabric8 would otherwise fall back to the
 * current context, or to {@code https://kubernetes.default.svc/} without credentials). Its namespace
 * is the default of {@code -n}. Loaded once per command (an {@code exec} credential plugin runs then); a
 * user's {@code tokenFile}, which fabric8 ignores, is read as kubectl reads it ({@link KubeconfigCredentials}).
 * Names read from a kubeconfig (contexts, clusters, users) are outside data: errors print them escaped.
 */
public final class KubeconfigOptions {
  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "k8s targets: the kubeconfig file to use (instead of $KUBECONFIG, whose files, separated by"
          + " ':', are merged as kubectl merges them, else ~/.kube/config).")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME",
      description = "k8s targets: the kubeconfig context to use (as --target k8s:NAME). Default: the current context.")
  String context;

  private Config loaded;

  /**
   * The client configuration of {@code spec}'s cluster, loaded on the first call.
   *
   * @throws IllegalArgumentException naming the context and the kubeconfig files when the context is
   *     missing, names a cluster or user the files lack, or no context can be chosen at all
   */
  Config config(TargetSpec.Kube spec) {
    if (loaded == null) {
      String name = context(spec);
      loaded = load(kubeconfig, name, context != null ? "--context " + name : "--target k8s:" + name);
    }
    return loaded;
  }

  /** The namespace of namespaced manifests: {@code explicit} (from {@code -n}) when given, else the context's, else {@code default}. */
  String namespace(TargetSpec spec, String explicit) {
    if (explicit != null) {
      return explicit;
    }
    if (spec instanceof TargetSpec.Kube kube) {
      String ns = config(kube).getNamespace();
      return ns == null || ns.isBlank() ? TargetOptions.DEFAULT_NAMESPACE : ns;
    }
    return TargetOptions.DEFAULT_NAMESPACE;
  }

  private String context(TargetSpec.Kube spec) {
    if (context != null && !spec.context().isEmpty() && !context.equals(spec.context())) {
      throw new IllegalArgumentException("--context " + escape(context) + " and --target k8s:"
          + escape(spec.context()) + " name two contexts: give one");
    }
    return context != null ? context : spec.context();
  }

  /**
   * Loads {@code file} (null: {@code KUBECONFIG}, else {@code ~/.kube/config}) with {@code context}
   * (empty: the current one), as {@link #config} does, the user's {@code tokenFile} read as kubectl reads
   * it; {@code option} is how the context was named.
   */
  static Config load(Path file, String context, String option) {
    String wanted = context == null || context.isEmpty() ? null : context;
    Config config;
    String where;
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("--kubeconfig " + file + ": " + (Files.isDirectory(file) ? "a directory,"
            + " not a file" : "no such file") + tildeHint(List.of(file.toString())));
      }
      config = Config.fromKubeconfig(wanted, file.toFile());
      where = file.toString();
    } else {
      config = Config.autoConfigure(wanted);
      where = String.join(", ", Config.getKubeconfigFilenames());
    }
    check(config, wanted, option, where);
    return KubeconfigCredentials.withTokenFile(config);
  }

  private static void check(Config config, String wanted, String option, String where) {
    List<String> names = config.getContexts() == null ? List.of()
        : config.getContexts().stream().map(NamedContext::getName).sorted().toList();
    String known = names.isEmpty() ? "it has none"
        : "its contexts: " + String.join(", ", names.stream().map(n -> escape(n)).toList());
    if (wanted != null && !names.contains(wanted)) {
      throw new IllegalArgumentException(escape(option) + ": the kubeconfig (" + where
          + ") has no context '" + escape(wanted) + "'; " + known);
    }
    NamedContext current = config.getCurrentContext();
    if (current == null) {
      if (inCluster()) {
        return; // no kubeconfig context: the pod's service account, as kubectl in a pod
      }
      throw new IllegalArgumentException("no kubeconfig context to use: " + (names.isEmpty()
          ? "no kubeconfig found at " + where + tildeHint(Config.getKubeconfigFilenames())
          : "the kubeconfig (" + where + ") sets no current-context; " + known + "; choose one with --context NAME"));
    }
    Context c = current.getContext();
    String name = escape(String.valueOf(current.getName()));
    if (c == null || c.getCluster() == null || c.getCluster().isEmpty()) {
      throw new IllegalArgumentException("kubeconfig context '" + name + "' names no cluster (" + where + ")");
    }
    if (config.getFileWithCluster() == null) {
      throw new IllegalArgumentException("kubeconfig context '" + name + "' names cluster '" + escape(c.getCluster())
          + "', which the kubeconfig (" + where + ") does not have");
    }
    if (c.getUser() != null && !c.getUser().isEmpty() && config.getFileWithAuthInfo() == null) {
      throw new IllegalArgumentException("kubeconfig context '" + name + "' names user '" + escape(c.getUser())
          + "', which the kubeconfig (" + where + ") does not have");
    }
  }

  private static boolean inCluster() {
    return System.getenv("KUBERNETES_SERVICE_HOST") != null
        && new File(Config.KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH).isFile();
  }

  /** A hint when a path starts with a {@code ~} that no shell expanded. */
  private static String tildeHint(Collection<String> paths) {
    return paths.stream().anyMatch(p -> p.startsWith("~")) ? " ('~' is not expanded here, as kubectl does not"
        + " expand it: write $HOME/... or a path the shell expands)" : "";
  }
}
