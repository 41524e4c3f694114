package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.model.FileMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PrivateFolder} run by a user other than root who keeps a group, for a mode that gives the owner
 * no read ({@code 0200}). Both the group and the mode are set through an open of the file for reading
 * ({@code openat(O_RDONLY|O_NOFOLLOW)}, then {@code fchown} or {@code fchmod}): before, the mode came first,
 * and that open then failed ({@code EACCES}), so such a file could not be written by anyone but root; the
 * tests, run as root, read whatever the mode and never saw it. The write runs in a JVM of its own as
 * {@code nobody} with {@code users} as a second group ({@code setpriv}, util-linux), skipped unless the
 * tests run as root; where they cannot, the order of the steps is checked through the tests' seam
 * ({@link PrivateFolder.Neighbour}).
 */
class NonRootWriteTest {
  private static final int NOBODY = 65534;
  private static final String GROUP = "users";
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

  @TempDir
  Path dir;

  /** The owner and group are set before the mode, the mode last. */
  @Test
  void theGroupIsSetBeforeTheMode() throws Exception {
    Path root = Files.createDirectory(dir.resolve("root"));
    List<String> steps = new ArrayList<>();
    LocalHost host = LocalHost.withNeighbour((at, tmp) -> steps.add(at));
    host.writeAndRename(root + "/.gitops-" + "0".repeat(24) + ".tmp", root + "/conf",
        "v1\n".getBytes(StandardCharsets.UTF_8), new FileMode(0200, "", Groups.of(root)), false, root.toString());
    assertEquals(List.of("mkdir", "open", "write", "chown", "chmod", "rename"), steps);
    assertEquals(0200, attr(root.resolve("conf"), "mode") & 07777);
  }

  @Test
  void aUserKeepingAGroupWritesAFileWhoseModeGivesItNoRead() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "not root: cannot run a write as another user");
    assumeTrue(Files.isExecutable(SETPRIV), "no setpriv: cannot run a write as another user");
    int gid = gid(GROUP);
    assumeTrue(gid > 0, "no group " + GROUP);
    Files.setAttribute(dir, "unix:mode", 0755); // nobody passes through to its root
    Path root = Files.createDirectory(dir.resolve("root"));
    Files.setAttribute(root, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(root, "unix:gid", NOBODY, LinkOption.NOFOLLOW_LINKS);
    Process write = new ProcessBuilder(SETPRIV.toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY,
        "--groups=" + gid, "--", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:-UsePerfData", "-cp", classPath(), Write.class.getName(), root.toString(), "conf", GROUP, "200")
        .redirectErrorStream(true).start();
    String out = new String(write.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(write.waitFor(60, TimeUnit.SECONDS), "the write ended");
    assertEquals(0, write.exitValue(), out);
    Path conf = root.resolve("conf");
    assertEquals("v1\n", Files.readString(conf));
    assertEquals(0200, attr(conf, "mode") & 07777);
    assertEquals(NOBODY, attr(conf, "uid"));
    assertEquals(gid, attr(conf, "gid"), "the group kept");
    try (var names = Files.list(root)) {
      assertEquals(List.of("conf"), names.map(p -> p.getFileName().toString()).toList(), "nothing left");
    }
  }

  /**
   * The write in the JVM run as another user ({@code ROOT NAME GROUP OCTAL-MODE}), through
   * {@link PrivateFolder} itself: exit 3 when it declined (which would leave the write to the shell script).
   */
  static final class Write {
    private Write() {}

    public static void main(String[] args) throws IOException {
      String root = args[0];
      boolean written = PrivateFolder.write(LocalHost.create(), PrivateFolder.Neighbour.NONE,
          root + "/.gitops-" + "0".repeat(24) + ".tmp", root + "/" + args[1],
          new ByteArrayInputStream("v1\n".getBytes(StandardCharsets.UTF_8)),
          new FileMode(Integer.parseInt(args[3], 8), "", args[2]), false, root);
      System.exit(written ? 0 : 3);
    }
  }

  /** Where this module's classes, core's and this test's are: all another user may need (no jar of ~/.m2). */
  private static String classPath() throws Exception {
    List<String> out = new ArrayList<>();
    for (Class<?> c : List.of(PrivateFolder.class, FileMode.class, Write.class)) {
      out.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
    }
    return String.join(java.io.File.pathSeparator, out);
  }

  /** The id of the group {@code name} in {@code /etc/group}, -1 when none. */
  private static int gid(String name) throws IOException {
    for (String line : Files.readAllLines(Path.of("/etc/group"))) {
      String[] f = line.split(":", -1);
      if (f.length > 2 && f[0].equals(name)) {
        return Integer.parseInt(f[2]);
      }
    }
    return -1;
  }

  private static int attr(Path file, String which) throws IOException {
    return (Integer) Files.getAttribute(file, "unix:" + which, LinkOption.NOFOLLOW_LINKS);
  }
}
