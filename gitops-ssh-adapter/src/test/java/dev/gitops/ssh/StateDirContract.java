package dev.gitops.ssh;

import static dev.gitops.ssh.FilesTargetContract.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.plan.Action;
import dev.gitops.target.DeployHistory;
import dev.gitops.target.Scope;
import dev.gitops.target.TargetException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The state folder {@code <root>/.gitops} is a target path like any other: never used through a
 * symlink (nothing written or read outside the root), created {@code 0700}. Run over every kind of
 * {@link Host} by {@link FilesTargetSuite}.
 */
interface StateDirContract extends FilesTargetContract {

  private static DeployHistory.Deployment deployment() {
    return new DeployHistory.Deployment("rev", "main", "Plan: 1", "succeeded", Instant.EPOCH, "ci");
  }

  @Test
  default void aSymlinkedStateFolderIsRefusedByEveryUseAndNothingLandsOutsideTheRoot() throws Exception {
    Path outside = Files.createDirectories(root().resolveSibling("elsewhere"));
    Files.writeString(outside.resolve(OWNER + ".inventory"), "{\"owner\":\"" + OWNER + "\",\"files\":{}}");
    Files.createSymbolicLink(root().resolve(".gitops"), outside);
    List<Consumer<FilesTarget>> uses = List.of(
        t -> t.read(Scope.owned(OWNER)),
        t -> t.apply(new Action.Create(text("a.conf", "x\n")), OWNER),
        t -> t.lock("ci", null),
        t -> t.record(deployment(), 5),
        t -> t.history());
    for (Consumer<FilesTarget> use : uses) {
      TargetException e = assertThrows(TargetException.class, () -> use.accept(fresh()));
      assertTrue(e.getMessage().contains("'.gitops' is a symlink on the host"), e.getMessage());
      assertFalse(e.retryable(), "retrying cannot help: " + e.getMessage());
    }
    try (Stream<Path> files = Files.list(outside)) {
      assertEquals(List.of(outside.resolve(OWNER + ".inventory")), files.toList(), "nothing written there");
    }
    assertFalse(Files.exists(root().resolve("a.conf")), "refused before the first write");
  }

  @Test
  default void aStateFolderThatIsAFileIsRefusedNamingWhatIsThere() throws Exception {
    Files.writeString(root().resolve(".gitops"), "not a folder");
    TargetException e = assertThrows(TargetException.class, () -> fresh().lock("ci", null));
    assertTrue(e.getMessage().contains("'.gitops' is not a directory on the host (file)"), e.getMessage());
  }

  @Test
  default void theStateFolderIsCreatedForItsOwnerOnly() throws Exception {
    FilesTarget target = fresh();
    target.read(Scope.owned(OWNER));
    target.apply(new Action.Create(text("a.conf", "x\n")), OWNER);
    target.flush();
    assertEquals("rwx------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(root().resolve(".gitops"), LinkOption.NOFOLLOW_LINKS)));
    Path fresh = root().resolve("new-root");
    FilesTarget elsewhere = FilesTarget.of(files().host(), fresh.toString());
    elsewhere.lock("ci", null).close();
    assertEquals("rwx------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(fresh.resolve(".gitops"), LinkOption.NOFOLLOW_LINKS)), "root made too");
  }
}
