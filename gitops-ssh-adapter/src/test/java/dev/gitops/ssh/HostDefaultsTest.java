package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default methods of {@link Host}, which work through {@link Host#exec} alone, on this machine. */
class HostDefaultsTest {
  @TempDir
  Path dir;

  /** Only the abstract methods, delegated to {@link LocalHost}; the defaults are Host's own. */
  private static final class ExecOnly implements Host {
    private final Host local = LocalHost.create();

    @Override public Result exec(List<String> command, byte[] stdin) throws IOException { return local.exec(command, stdin); }
    @Override public Channel start(List<String> command) throws IOException { return local.start(command); }
    @Override public void write(String p, byte[] d, int perms, boolean excl) throws IOException { local.write(p, d, perms, excl); }
    @Override public void append(String p, byte[] d) throws IOException { local.append(p, d); }
    @Override public void chown(String p, String o, String g) throws IOException { local.chown(p, o, g); }
    @Override public void rename(String f, String t, boolean r) throws IOException { local.rename(f, t, r); }
    @Override public boolean delete(String p) throws IOException { return local.delete(p); }
    @Override public void mkdirs(String p) throws IOException { local.mkdirs(p); }
    @Override public byte[] read(String p) throws IOException { return local.read(p); }
    @Override public Stat stat(String p) throws IOException { return local.stat(p); }
    @Override public String describe() { return "exec-only"; }
    @Override public void close() { }
  }

  @Test
  void filesListsRegularFilesWithOddNamesButNotLinksOrDirectories() throws Exception {
    Set<String> names = Set.of("plain", ".hidden", "new\nline", "sp ace", "*", "ünï");
    for (String n : names) {
      Files.writeString(dir.resolve(n), n);
    }
    Files.createDirectory(dir.resolve("sub"));
    Files.createSymbolicLink(dir.resolve("link"), dir.resolve("plain"));
    assertEquals(new TreeSet<>(names), new TreeSet<>(new ExecOnly().files(dir.toString())));
    assertEquals(new TreeSet<>(names), new TreeSet<>(LocalHost.create().files(dir.toString())), "LocalHost agrees");
    assertEquals(List.of(), new ExecOnly().files(dir.resolve("absent").toString()));
    assertEquals(List.of(), new ExecOnly().files(dir.resolve("sub").toString()));
  }

  @Test
  void deleteDirectoryDeletesOnlyAnEmptyRealDirectory() throws Exception {
    Host host = new ExecOnly();
    Path full = Files.createDirectories(dir.resolve("full"));
    Files.writeString(full.resolve("f"), "x");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), Files.createDirectories(dir.resolve("target")));
    assertFalse(host.deleteDirectory(full.toString()));
    assertFalse(host.deleteDirectory(link.toString()));
    assertFalse(host.deleteDirectory(full.resolve("f").toString()));
    assertFalse(host.deleteDirectory(dir.resolve("absent").toString()));
    assertTrue(host.deleteDirectory(empty.toString()));
    assertFalse(Files.exists(empty));
    assertTrue(Files.exists(full.resolve("f")) && Files.isSymbolicLink(link) && Files.isDirectory(dir.resolve("target")));
  }

  @Test
  void mkdirCreatesOneDirectoryAndRefusesAnythingAlreadyThere() throws Exception {
    for (Host host : List.of(new ExecOnly(), LocalHost.create())) {
      Path made = dir.resolve("made-" + host.describe());
      host.mkdir(made.toString(), 0755);
      assertTrue(Files.isDirectory(made, java.nio.file.LinkOption.NOFOLLOW_LINKS));
      assertThrows(IOException.class, () -> host.mkdir(made.toString(), 0755), "exists");
      Path link = Files.createSymbolicLink(dir.resolve("link-" + host.describe()), made);
      assertThrows(IOException.class, () -> host.mkdir(link.toString(), 0755), "a symlink is something");
      assertThrows(IOException.class, () -> host.mkdir(dir.resolve("no/parent-" + host.describe()).toString(), 0755));
    }
  }
}
