package dev.gitops.ssh;

import dev.gitops.model.Content;
import dev.gitops.plan.Plan;
import dev.gitops.reconcile.PushDeployer;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.source.GitSource;
import dev.gitops.source.Source;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;

/**
 * Run by {@link LargeFileIT} in a JVM with a small heap: pushes a source holding a file several times
 * larger than the heap to a target through a saved plan (plan, JSON, read back, deploy), then plans
 * again. Prints what happened, one fact a line; exits 1 when a step failed.
 *
 * <p>Arguments: {@code dir|git SOURCE local ROOT} or {@code dir|git SOURCE ssh ROOT PORT USER KEY KNOWN_HOSTS}.
 */
final class LargeFilePush {
  private LargeFilePush() {}

  public static void main(String[] args) throws Exception {
    Source source = args[0].equals("git")
        ? GitSource.builder(args[1]).ref("main").cache(Path.of(args[1] + ".cache")).build()
        : DirectorySource.of(Path.of(args[1]));
    try (Host host = args[2].equals("local") ? LocalHost.create() : SshHost.builder().host("127.0.0.1")
        .port(Integer.parseInt(args[4])).user(args[5]).identity(Path.of(args[6]), null)
        .knownHosts(Path.of(args[7])).build();
         FilesTarget target = FilesTarget.of(host, args[3])) {
      Reconciler reconciler = Reconciler.builder().name("big").source(source).loader(FileTreeLoader.root())
          .target(target).prune(true).build();
      PushDeployer deployer = PushDeployer.of(reconciler);
      Plan reviewed = deployer.preview(null);
      String json = reviewed.toJson();
      System.out.println("plan: " + reviewed.summary());
      System.out.println("saved plan bytes: " + json.length());
      System.out.println("saved plan holds base64 of the large file: " + json.contains("\"base64\" : \"AAAA"));
      Plan approved = Plan.fromJson(json);
      ReconcileResult result = deployer.deploy(reviewed.revision(), approved);
      System.out.println("deployed: " + result.isSuccess() + " " + result.report());
      Plan again = reconciler.plan(null);
      System.out.println("plan again: " + (again.isEmpty() ? "empty" : again.summary() + "\n" + again.render()));
      System.out.println("large threshold: " + Content.Bytes.LARGE);
      System.out.println("max heap: " + Runtime.getRuntime().maxMemory());
      System.out.println("peak heap used: " + peakHeap());
      if (source instanceof GitSource git) {
        git.close();
      }
      System.exit(result.isSuccess() && again.isEmpty() ? 0 : 1);
    }
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
