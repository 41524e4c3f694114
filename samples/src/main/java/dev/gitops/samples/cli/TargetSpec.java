package dev.gitops.samples.cli;

import java.net.URI;
import java.nio.file.Path;

/**
 * A parsed {@code --target}: {@code dir:PATH}, {@code ssh://user@host[:port]/root}, {@code k8s},
 * {@code k8s:CONTEXT} or {@code k8s-mock}.
 */
public sealed interface TargetSpec {

  /** A local directory. @param root the directory */
  record Dir(Path root) implements TargetSpec {}

  /**
   * A host over SSH.
   *
   * @param user login
   * @param host host name or address
   * @param port port, 22 by default
   * @param root absolute directory on the host
   */
  record Ssh(String user, String host, int port, String root) implements TargetSpec {}

  /** A cluster from kubeconfig. @param context context name, {@code ""} for the current one */
  record Kube(String context) implements TargetSpec {}

  /** fabric8's Kubernetes API mock, started in this process. */
  record KubeMock() implements TargetSpec {}

  /** True for the Kubernetes forms (they load manifests; the others load files). */
  default boolean isKubernetes() {
    return this instanceof Kube || this instanceof KubeMock;
  }

  /**
   * Parses a target.
   *
   * @throws IllegalArgumentException naming the accepted forms
   */
  static TargetSpec parse(String text) {
    if (text.startsWith("dir:") && text.length() > 4) {
      String path = text.substring(4);
      if (path.equals("~") || path.startsWith("~/")) { // no shell expands it after 'dir:': a folder named '~' here
        throw new IllegalArgumentException("--target " + text + ": '~' is not expanded after 'dir:' (a shell expands it"
            + " only at the start of a word): write dir:$HOME" + path.substring(1));
      }
      return new Dir(Path.of(path).toAbsolutePath().normalize());
    }
    if (text.equals("k8s")) {
      return new Kube("");
    }
    if (text.startsWith("k8s:") && text.length() > 4) {
      return new Kube(text.substring(4));
    }
    if (text.equals("k8s-mock")) {
      return new KubeMock();
    }
    if (text.startsWith("ssh://")) {
      URI uri = URI.create(text);
      if (uri.getUserInfo() == null || uri.getHost() == null || uri.getPath() == null
          || uri.getPath().isEmpty() || uri.getPath().equals("/")) {
        throw new IllegalArgumentException("--target " + text + ": want ssh://user@host[:port]/root");
      }
      return new Ssh(uri.getUserInfo(), uri.getHost(), uri.getPort() < 0 ? 22 : uri.getPort(), uri.getPath());
    }
    throw new IllegalArgumentException("--target " + text
        + ": want dir:PATH, ssh://user@host[:port]/root, k8s, k8s:CONTEXT or k8s-mock");
  }
}
