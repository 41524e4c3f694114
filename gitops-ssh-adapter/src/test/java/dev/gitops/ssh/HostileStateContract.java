package dev.gitops.ssh;

import static dev.gitops.ssh.FilesTargetContract.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.DeployHistory;
import dev.gitops.target.Scope;
import dev.gitops.target.TargetException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The files of the state folder made hostile: a hard link to a file outside the root, a FIFO or a
 * device where the inventory, the journal or the history is expected. Nothing outside is written
 * through a link; nothing is ever opened that would hold a read or write for ever. Run over every
 * kind of {@link Host} by {@link FilesTargetSuite}.
 */
interface HostileStateContract extends FilesTargetContract {

  private static DeployHistory.Deployment deployment(String revision) {
    return new DeployHistory.Deployment(revision, "main", "Plan: 1", "succeeded", Instant.EPOCH, "ci");
  }

  private Path state(String name) {
    return root().resolve(".gitops").resolve(name);
  }

  /** A deploy cycle: read, write, fold under the lock, record; what each step threw, in order. */
  private List<String> deployCycle(String file) {
    List<String> failures = new ArrayList<>();
    FilesTarget target = fresh();
    List<Runnable> steps = List.of(
        () -> target.read(Scope.of(OWNER, Set.of(ResourceId.file(file)))),
        () -> target.apply(new Action.Create(text(file, "x\n")), OWNER),
        target::flush,
        () -> target.lock("ci", null).close(),
        () -> target.record(deployment("r2"), 5),
        target::history);
    for (Runnable step : steps) {
      try {
        step.run();
      } catch (TargetException e) {
        failures.add(e.getMessage());
      }
    }
    return failures;
  }

  /**
   * The state folder swapped for a symlink to a copy of itself outside right after it was looked at,
   * just before the history's temporary file is written: the folder is looked at again once it is
   * written, before the rename, so the history outside is never replaced and no temporary file is left.
   */
  @Test
  default void theStateFolderSwappedBetweenTheLookAndTheWriteGetsNothingRenamedOutside() throws Exception {
    files().apply(new Action.Create(text("a.conf", "a\n")), OWNER);
    files().record(deployment("r1"), 5);
    Path outside = root().resolveSibling("outside-state");
    Tamper neighbour = new Tamper(files().host(), "writeAndRename", p -> p.endsWith("/.gitops/history.json"), p -> {
      Files.move(root().resolve(".gitops"), outside);
      Files.createSymbolicLink(root().resolve(".gitops"), outside);
    });
    FilesTarget target = FilesTarget.of(neighbour, root().toString());
    Map<String, String> before = HostileTreeContract.snapshot(root().resolve(".gitops"));
    TargetException e = assertThrows(TargetException.class, () -> target.record(deployment("r2"), 5));
    assertTrue(neighbour.acted());
    assertTrue(e.getMessage().contains(".gitops is a symlink now"), e.getMessage());
    assertEquals(before, HostileTreeContract.snapshot(outside), "nothing renamed nor left outside");
    Files.delete(root().resolve(".gitops")); // the neighbour's link; the folder is put back
    Files.move(outside, root().resolve(".gitops"));
  }

  @Test
  default void stateFilesThatAreHardLinksToFilesOutsideAreNeverWrittenThrough() throws Exception {
    files().apply(new Action.Create(text("a.conf", "a\n")), OWNER);
    files().lock("ci", null).close(); // the journal folded into the inventory
    files().record(deployment("r1"), 5);
    Path outside = Files.createDirectories(root().resolveSibling("outside-links"));
    for (String name : List.of(OWNER + ".journal", "history.json", OWNER + ".inventory")) {
      Path saved = Files.createDirectories(root().resolveSibling("saved")).resolve(name);
      if (Files.exists(state(name))) {
        Files.move(state(name), saved);
      }
      Path precious = Files.writeString(outside.resolve(name), "precious: " + name + "\n");
      Files.createLink(state(name), precious);
      List<String> failures = deployCycle("b-" + name + ".conf");
      assertEquals("precious: " + name + "\n", Files.readString(precious), name + ": " + failures);
      for (String f : failures) {
        assertTrue(f.contains(".gitops/" + name + " is not "), "a file that is not one names it: " + f);
        assertFalse(f.contains("precious"), "and never shows its bytes: " + f);
      }
      assertEquals(name.endsWith(".journal"), failures.isEmpty(), name + ": " + failures);
      Files.deleteIfExists(state(name));
      if (Files.exists(saved)) {
        Files.move(saved, state(name));
      }
    }

    // a journal linked in after the read, when the read found none: read and folded, never appended to
    FilesTarget target = fresh();
    target.read(Scope.of(OWNER, Set.of(ResourceId.file("c.conf"))));
    Path precious = Files.writeString(outside.resolve("late"), "precious\n");
    Files.deleteIfExists(state(OWNER + ".journal"));
    Files.createLink(state(OWNER + ".journal"), precious);
    target.apply(new Action.Create(text("c.conf", "c\n")), OWNER);
    target.flush();
    assertEquals("precious\n", Files.readString(precious));
    assertFalse(Files.isSameFile(precious, state(OWNER + ".journal")), "the link was replaced by a journal of its own");
    assertEquals("c\n", Files.readString(root().resolve("c.conf")));
  }

  @Test
  default void aFifoOrADeviceWhereAStateFileIsExpectedIsNamedAndNeverOpened() throws Exception {
    files().apply(new Action.Create(text("a.conf", "a\n")), OWNER);
    files().lock("ci", null).close();
    for (String kind : List.of("fifo", "device")) {
      for (String name : List.of(OWNER + ".inventory", OWNER + ".journal", "history.json")) {
        Files.deleteIfExists(state(name));
        Process make = kind.equals("fifo") ? new ProcessBuilder("mkfifo", state(name).toString()).start()
            : new ProcessBuilder("mknod", state(name).toString(), "c", "1", "5").start(); // as /dev/zero
        assumeTrue(make.waitFor() == 0, kind + " cannot be made here");
        // opened, a FIFO waits for a writer for ever, a /dev/zero never ends: either would hang the test
        String file = kind + "-" + name + ".conf";
        List<String> failures = assertTimeoutPreemptively(Duration.ofSeconds(90), () -> deployCycle(file),
            kind + " at " + name);
        for (String f : failures) {
          assertTrue(f.contains("a FIFO, socket or device"), kind + " at " + name + ": " + f);
        }
        Files.deleteIfExists(state(name));
        fresh().lock("ci", null).close(); // folds what the cycle left, for the next round
      }
    }
  }

  @Test
  default void aFifoOrADeviceAtADesiredPathIsReplacedNeverOpened() throws Exception {
    assertEquals(0, new ProcessBuilder("mkfifo", root().resolve("fifo.conf").toString()).start().waitFor());
    Process mknod = new ProcessBuilder("mknod", root().resolve("zero.conf").toString(), "c", "1", "5").start();
    assumeTrue(mknod.waitFor() == 0, "devices cannot be made here");
    for (String name : List.of("fifo.conf", "zero.conf")) {
      FilesTarget target = fresh();
      var read = assertTimeoutPreemptively(Duration.ofSeconds(90),
          () -> target.read(Scope.of(OWNER, Set.of(ResourceId.file(name)))), name);
      var observed = read.get(ResourceId.file(name));
      assertTimeoutPreemptively(Duration.ofSeconds(90), () -> target.apply(new Action.Adopt(text(name, "now a file\n"),
          dev.gitops.diff.ResourceDiff.none(ResourceId.file(name)), observed.fingerprint()), OWNER), name);
      assertTrue(Files.isRegularFile(root().resolve(name), LinkOption.NOFOLLOW_LINKS), name);
      assertEquals("now a file\n", Files.readString(root().resolve(name)));
    }
  }
}
