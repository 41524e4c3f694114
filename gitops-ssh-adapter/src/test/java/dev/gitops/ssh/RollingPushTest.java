package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.ApplyReport;
import dev.gitops.source.LoaderContract;
import dev.gitops.target.TargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollingPushTest {
  private static final ApplyReport OK = new ApplyReport(List.of(), Duration.ZERO, false);

  /** A host whose health command exits with a fixed code; other operations are unsupported. */
  private record FakeHost(String name, int healthExit) implements Host {
    @Override public Result exec(List<String> command, byte[] stdin, Duration timeout) {
      return new Result(healthExit, new byte[0], ("health of " + name).getBytes());
    }
    @Override public String describe() { return name; }
  }

  private static List<FakeHost> hosts(int n, int unhealthy) {
    List<FakeHost> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(new FakeHost("h" + i, i == unhealthy ? 1 : 0));
    }
    return out;
  }

  private static List<Integer> batches(RollingPush.Report r) {
    return r.hosts().stream().map(RollingPush.HostResult::batch).toList();
  }

  @Test
  void hostsGoInBatchesOfACountOrAPercentage() {
    RollingPush.Deploy ok = h -> OK;
    assertEquals(List.of(0, 0, 1, 1, 2), batches(RollingPush.builder().serial(2).build().push(hosts(5, 0), ok)));
    assertEquals(List.of(0, 0, 1, 1, 2), batches(RollingPush.builder().serialPercent(40).build().push(hosts(5, 0), ok)));
    assertEquals(List.of(0, 1, 2), batches(RollingPush.builder().serialPercent(1).build().push(hosts(3, 0), ok)));
    assertEquals(List.of(0, 0, 0), batches(RollingPush.builder().serialPercent(100).build().push(hosts(3, 0), ok)));
  }

  @Test
  void aFailedDeployStopsTheRollBeforeTheNextBatch() {
    Set<String> deployed = ConcurrentHashMap.newKeySet();
    RollingPush.Report r = RollingPush.builder().serial(2).build().push(hosts(6, 0), h -> {
      deployed.add(h.describe());
      if (h.describe().equals("h3")) {
        throw new TargetException(null, "disk full");
      }
      return OK;
    });
    assertEquals(Set.of("h1", "h2", "h3", "h4"), deployed, "the failing batch completes, no later batch starts");
    assertEquals(RollingPush.Status.FAILED, r.hosts().get(2).status());
    assertEquals("disk full", r.hosts().get(2).message());
    assertEquals(RollingPush.Status.SKIPPED, r.hosts().get(4).status());
    assertTrue(r.stopped());
    assertEquals("Rolling push: 3 deployed, 1 failed, 0 unhealthy, 2 skipped (stopped).", r.summary());
  }

  @Test
  void maxFailuresLetsTheRollContinueUpToThatMany() {
    RollingPush.Report r = RollingPush.builder().maxFailures(1).build().push(hosts(4, 0), h -> {
      if (h.describe().equals("h2")) {
        throw new TargetException(null, "handler failed");
      }
      return OK;
    });
    assertEquals(List.of(RollingPush.Status.DEPLOYED, RollingPush.Status.FAILED, RollingPush.Status.DEPLOYED,
        RollingPush.Status.DEPLOYED), r.hosts().stream().map(RollingPush.HostResult::status).toList());
    assertFalse(r.stopped());
    assertFalse(r.isSuccess());
  }

  @Test
  void anUnhealthyHostCountsAsAFailureAndGatesTheNextBatch() {
    RollingPush.Report r = RollingPush.builder().serial(1).healthCommand("curl -f localhost/health").build()
        .push(hosts(3, 1), h -> OK);
    assertEquals(RollingPush.Status.UNHEALTHY, r.hosts().get(0).status());
    assertTrue(r.hosts().get(0).message().contains("health of h1"), r.hosts().get(0).message());
    assertEquals(RollingPush.Status.SKIPPED, r.hosts().get(1).status());
  }

  @Test
  void filesDeployConvergesEachHost(@TempDir Path root) throws Exception {
    var desired = FileTreeLoader.of("hosts/web").load(LoaderContract.snapshot(Map.of("hosts/web/app.conf", "v=1\n")));
    RollingPush.Report r = RollingPush.builder().healthCommand("test -d /").build()
        .push(List.of(LocalHost.create()), RollingPush.files(desired, root.toString(), "web"));
    assertTrue(r.isSuccess(), r.summary());
    assertEquals("v=1\n", Files.readString(root.resolve("app.conf")));
  }
}
