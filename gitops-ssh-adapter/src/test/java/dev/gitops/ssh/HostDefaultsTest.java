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

/**
 * The default methods of {@link Host}, which work through {@link Host#exec} alone, on this machine:
 * the {@link HostContract} over a host that implements nothing else, and a few more checks.
 */
class HostDefaultsTest implements HostContract {
  @TempDir
  Path dir;

  @Override
  public Host host() {
    return new ExecOnly();
  }

  @Override
  public Path dir() {
    return dir;
  }

  /** Only the abstract method, delegated to {@link LocalHost}; every other method is Host's default. */
  private static final class ExecOnly implements Host {
    private final Host local = LocalHost.create();

    @Override public Result exec(List<String> command, byte[] stdin, java.time.Duration timeout) throws IOException {
      return local.exec(command, stdin, timeout);
    }

    @Override public String describe() { return "exec-only"; }
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
