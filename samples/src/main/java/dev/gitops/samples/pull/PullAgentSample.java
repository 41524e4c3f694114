package dev.gitops.samples.pull;

import dev.gitops.reconcile.PullAgent;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.GitSource;
import dev.gitops.ssh.FileTreeLoader;
import dev.gitops.ssh.FilesTarget;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Embedding sample: a pull agent that keeps a directory converged with a folder of a Git repository
 * — polls every minute, repairs hand edits every five, prunes only what it deployed.
 *
 * <p>Run: {@code java -cp gitops-samples.jar dev.gitops.samples.pull.PullAgentSample REPO DIR}.
 */
public final class PullAgentSample {
  private PullAgentSample() {}

  /**
   * Runs until the process is stopped.
   *
   * @param args repository URL or path, and the directory to converge
   */
  public static void main(String[] args) throws InterruptedException {
    String repo = args.length > 0 ? args[0] : "https://git.example.com/ops/site.git";
    Path root = Path.of(args.length > 1 ? args[1] : "/srv/site");
    // README:pull
    Reconciler site = Reconciler.builder().name("site")       // owner of everything it applies
        .source(GitSource.builder(repo).ref("main").path("hosts/web").build())
        .loader(FileTreeLoader.root())                         // files, modes, handlers
        .target(FilesTarget.local(root))                       // or FilesTarget.of(SshHost, "/srv/site")
        .prune(true).build();
    try (PullAgent agent = PullAgent.builder(site).interval(Duration.ofMinutes(1))
        .driftInterval(Duration.ofMinutes(5)).selfHeal(true).build().start()) {
      Thread.currentThread().join();                           // until the process stops
    }
    // README:end
  }
}
