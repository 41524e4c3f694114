package dev.gitops.ssh;

import static dev.gitops.ssh.FilesTargetContract.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.Observed;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.Scope;
import dev.gitops.target.TargetException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Names and modes at the edges: long names, setuid and setgid bits. Run over every kind of
 * {@link Host} by {@link FilesTargetSuite}.
 */
interface FileNamesContract extends FilesTargetContract {

  private static int mode(Path p) throws Exception {
    return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
  }

  /** False for a host whose SFTP server drops setuid, setgid and sticky bits (MINA's). */
  default boolean keepsSpecialModeBits() {
    return true;
  }

  @Test
  default void setuidAndSetgidBitsAreKeptAndReadBackSoThereIsNoDriftOrRefused() throws Exception {
    String group = Groups.of(root());
    Map<String, FileMode> modes = Map.of("bin/suid", FileMode.of(04755), "bin/sgid", FileMode.of(02755),
        "bin/suid-grouped", new FileMode(04750, "", group), "tmp-like/sticky", FileMode.of(01777));
    if (!keepsSpecialModeBits()) {
      modes.forEach((path, mode) -> {
        TargetException e = assertThrows(TargetException.class,
            () -> files().apply(new Action.Create(file(path, "#!/bin/sh\n", mode)), OWNER));
        assertTrue(e.getMessage().contains("where " + mode + " was asked: it drops setuid, setgid or sticky bits"),
            e.getMessage());
        assertFalse(e.retryable());
        assertFalse(Files.exists(root().resolve(path)), "nothing left at " + path);
      });
      return;
    }
    modes.forEach((path, mode) -> files().apply(new Action.Create(file(path, "#!/bin/sh\n", mode)), OWNER));
    files().flush();
    var actual = fresh().read(Scope.of(OWNER, java.util.Set.copyOf(
        modes.keySet().stream().map(ResourceId::file).toList())));
    for (Map.Entry<String, FileMode> e : modes.entrySet()) {
      assertEquals(e.getValue().permissions(), mode(root().resolve(e.getKey())), "on disk: " + e.getKey());
      Observed o = actual.get(ResourceId.file(e.getKey()));
      assertEquals(e.getValue(), ((Content.Bytes) o.resource().content()).mode(), "read back: " + e.getKey());
    }
  }

  @Test
  default void aNameUpToTheHostsLimitRoundTripsWithRoomForItsTemporaryFile() throws Exception {
    String name = "n".repeat(250) + ".c"; // 252 bytes: its temporary file must not carry the name
    files().apply(new Action.Create(file("long/" + name, "#!/bin/sh\n", FileMode.REGULAR)), OWNER);
    files().flush();
    assertEquals("#!/bin/sh\n", Files.readString(root().resolve("long/" + name)));
    assertTrue(fresh().read(Scope.owned(OWNER)).get(ResourceId.file("long/" + name)) != null);
  }

  @Test
  default void namesBeyondTheHostsLimitsAreRefusedBeforeTheFirstWriteNamingThemEscaped() throws Exception {
    String tooLong = "\u001b[2J" + "x".repeat(252); // 256 bytes, an escape sequence in front
    String deep = String.join("/", java.util.Collections.nCopies(21, "d".repeat(200))) + "/f";
    java.util.Set<ResourceId> ids = java.util.Set.of(ResourceId.file("ok.conf"), ResourceId.file(tooLong),
        ResourceId.file(deep));
    TargetException e = assertThrows(TargetException.class, () -> fresh().read(Scope.of(OWNER, ids)));
    assertTrue(e.getMessage().contains("2 names the host cannot hold, nothing written: '\\x1b[2J" + "x".repeat(252)
        + "' is 256 bytes long; the host allows 255 bytes a name"), e.getMessage());
    assertTrue(e.getMessage().contains("' makes a path of "), e.getMessage());
    assertFalse(e.getMessage().contains("\u001b"), "no raw escape character: " + e.getMessage());
    assertFalse(e.retryable());
    TargetException write = assertThrows(TargetException.class,
        () -> fresh().apply(new Action.Create(file(tooLong, "#!/bin/sh\n", FileMode.REGULAR)), OWNER));
    assertTrue(write.getMessage().contains("is 256 bytes long"), write.getMessage());
    try (var left = Files.list(root())) {
      assertEquals(java.util.List.of(), left.filter(p -> !p.getFileName().toString().equals(".gitops")).toList());
    }
  }
}
