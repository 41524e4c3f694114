package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.apply.ApplyReport;
import dev.gitops.apply.Outcome;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.FileMode;
import dev.gitops.model.Handler;
import dev.gitops.model.Origin;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.Wave;
import dev.gitops.target.Scope;
import dev.gitops.target.TargetContract;
import dev.gitops.target.TargetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hosts whose tools are not GNU's, as on Alpine (BusyBox), macOS and the BSDs (bsdtar): the real
 * BusyBox and bsdtar binaries put first on the {@code PATH} of the host's commands (skipped where
 * they are not installed; {@code .ci/run} installs Debian's {@code busybox} and
 * {@code libarchive-tools}). Before, with either tar the long-running reader waited 120 s for an
 * answer and the read failed with "tar stream ended early".
 */
class HostToolsTest {
  private static final Path BUSYBOX = Path.of("/bin/busybox");
  private static final Path BSDTAR = Path.of("/usr/bin/bsdtar");

  @TempDir Path root;
  @TempDir Path bin;

  /** This machine, with {@code bin} first on the PATH of every command it runs. */
  private Host withTools() {
    return new EnvHost(List.of("PATH=" + bin + ":" + System.getenv("PATH")));
  }

  private void tool(String name, Path binary) throws IOException {
    assumeTrue(Files.isExecutable(binary), binary + " is not installed");
    Files.createSymbolicLink(bin.resolve(name), binary);
  }

  private String readFailure() throws IOException {
    Files.writeString(root.resolve("app.conf"), "port = 8080\n");
    try (FilesTarget target = FilesTarget.of(withTools(), root.toString())) {
      TargetException e = assertThrows(TargetException.class,
          () -> target.read(Scope.of("web", Set.of(ResourceId.file("app.conf")))));
      return e.getMessage();
    }
  }

  @Test
  void busyBoxTarIsNamedNotReadAsAnEmptyArchive() throws IOException {
    tool("tar", BUSYBOX);
    String message = readFailure();
    assertTrue(message.contains("the host's tar is not GNU tar") && message.contains("apk add tar"), message);
  }

  @Test
  void bsdtarIsNamedNotReadAsAnEmptyArchive() throws IOException {
    tool("tar", BSDTAR);
    String message = readFailure();
    assertTrue(message.contains("the host's tar is not GNU tar") && message.contains("gnu-tar"), message);
  }

  @Test
  void aHostWithoutAnyTarSaysSo() throws IOException {
    for (String name : List.of("sh", "env", "cat", "head", "mktemp", "rm")) {
      Path found = Path.of("/bin", name);
      tool(name, Files.isExecutable(found) ? found : Path.of("/usr/bin", name));
    }
    Host host = new EnvHost(List.of("PATH=" + bin));
    try (FilesTarget target = FilesTarget.of(host, root.toString())) {
      TargetException e = assertThrows(TargetException.class,
          () -> target.read(Scope.of("web", Set.of(ResourceId.file("app.conf")))));
      assertTrue(e.getMessage().contains("the host has no tar"), e.getMessage());
    }
  }

  /**
   * BusyBox's {@code timeout} ends only the handler's shell, not what it started, and exits 143, not
   * 124: a handler is refused on such a host, as on one without {@code timeout}, and never run.
   */
  @Test
  void busyBoxTimeoutRefusesHandlers() throws IOException {
    tool("timeout", BUSYBOX);
    Action.Run run = new Action.Run(new Handler("reload", "echo ran > ran.txt", List.of("**"), Origin.UNKNOWN),
        List.of(ResourceId.file("x")));
    ApplyReport report;
    try (FilesTarget target = FilesTarget.of(withTools(), root.toString())) {
      report = Reconcile.apply(target, new Plan("web", "", List.of(new Wave(0, List.of(run))), "sha256:test"));
    }
    assertEquals(Outcome.Kind.FAILED, report.outcomes().get(0).kind(), report::toString);
    String message = report.failures().get(0).cause().getMessage();
    assertTrue(message.contains("(exit 126)") && message.contains("BusyBox timeout does not"), message);
    assertFalse(Files.exists(root.resolve("ran.txt")), "the handler never ran");
  }

  /**
   * GNU tar with BusyBox's {@code stat} (an Alpine host after {@code apk add tar}): the host proves no
   * file by digest (BusyBox's stat has no {@code --printf}), and the read is the plain read's.
   */
  @Test
  void gnuTarWithBusyBoxStatReadsAsTheGnuHostDoes() throws IOException {
    tool("stat", BUSYBOX);
    List<Resource> files = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      byte[] data = new byte[16 << 10];
      new Random(i).nextBytes(data);
      Files.write(root.resolve("f-" + i + ".bin"), data);
      files.add(Resource.of(ResourceId.file("f-" + i + ".bin"), Content.bytes(data, FileMode.of(0644))));
    }
    Scope scope = Scope.of("web", Set.of(files.stream().map(Resource::id).toArray(ResourceId[]::new)));
    ActualState plain;
    try (FilesTarget target = FilesTarget.local(root)) {
      plain = target.read(scope, DesiredState.of(files));
    }
    try (FilesTarget target = FilesTarget.of(withTools(), root.toString())) {
      ActualState told = target.read(scope, DesiredState.of(files));
      TargetContract.assertSameRead(plain, told);
      files.forEach(r -> assertEquals(r.content(), told.get(r.id()).resource().content(), "read as on the host"));
    }
  }
}
