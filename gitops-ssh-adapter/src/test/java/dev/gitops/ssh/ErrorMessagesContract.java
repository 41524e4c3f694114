package dev.gitops.ssh;

import static dev.gitops.ssh.FilesTargetContract.file;
import static dev.gitops.ssh.FilesTargetContract.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.ApplyReport;
import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.TargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Errors a person can act on: they name what is wrong and why. Run over every kind of {@link Host}
 * by {@link FilesTargetSuite}.
 */
interface ErrorMessagesContract extends FilesTargetContract {

  @Test
  default void anUnknownOwnerOrGroupIsNamedNotNull() {
    for (FileMode mode : new FileMode[] {new FileMode(0644, "no-such-user-q7", ""), new FileMode(0644, "", "no-such-group-q7")}) {
      TargetException e = assertThrows(TargetException.class,
          () -> files().apply(new Action.Create(file("owned-" + mode.group() + ".conf", "x\n", mode)), OWNER));
      assertTrue(e.getMessage().contains("q7"), e.getMessage());
      assertFalse(e.getMessage().contains("null"), e.getMessage());
    }
  }

  @Test
  default void aPruneOfAPathThatBecameADirectorySaysWhyItIsLeft() throws Exception {
    files().apply(new Action.Create(text("a.conf", "x\n")), OWNER);
    Path path = root().resolve("a.conf");
    Files.delete(path);
    Files.createDirectories(path.resolve("inside"));
    Files.writeString(path.resolve("inside/someone's.txt"), "theirs");
    String asRead = FileVersion.fingerprint("a.conf",
        Content.bytes(new byte[0], FileMode.of(0))); // what a read reports for a directory
    TargetException e = assertThrows(TargetException.class,
        () -> files().apply(new Action.Delete(ResourceId.file("a.conf"), asRead), OWNER));
    assertTrue(e.getMessage().contains("not deleted: the host has a directory at 'a.conf' now, not the file this"
        + " owner wrote; prune never deletes a directory"), e.getMessage());
    assertTrue(Files.exists(path.resolve("inside/someone's.txt")));
  }

  /**
   * Someone put a directory where a managed file was: the update fails naming it, leaves the
   * directory and what it holds, and leaves no temporary file; the wave's other files are written.
   * Over SFTP it said only that the temporary file failed ({@code General failure}, or {@code Failure}
   * with statvfs's guesses at a quota), which named neither the path nor the cause.
   */
  @Test
  default void aWriteOverAPathThatBecameADirectorySaysWhyAndLeavesIt() throws Exception {
    assertTrue(Reconcile.once(fresh(), Map.of("hosts/web/a.conf", "x\n", "hosts/web/b.conf", "y\n"), OWNER).isSuccess());
    Path path = root().resolve("a.conf");
    Files.delete(path);
    Files.createDirectories(path.resolve("inside"));
    Files.writeString(path.resolve("inside/someone's.txt"), "theirs");
    ApplyReport report = Reconcile.once(fresh(), Map.of("hosts/web/a.conf", "x2\n", "hosts/web/b.conf", "y2\n"), OWNER);
    assertEquals(1, report.failures().size(), report.toString());
    String message = report.failures().get(0).cause().getMessage();
    assertTrue(message.contains("not written: the host has a directory at 'a.conf', not a file; a file is"
        + " never written over a directory or what it holds"), message);
    assertEquals("theirs", Files.readString(path.resolve("inside/someone's.txt")));
    assertEquals("y2\n", Files.readString(root().resolve("b.conf")));
    try (Stream<Path> all = Files.list(root())) {
      assertEquals(List.of(".gitops", "a.conf", "b.conf"), all.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }
}
