package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Content;
import dev.gitops.model.ResourceId;
import dev.gitops.model.Snapshot;
import dev.gitops.source.DirectorySource;
import dev.gitops.source.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A working tree that changes after it was read: a large file is held by reference and opened
 * again (by the loader for its first bytes, by the target to write it), so what stands at its path
 * then must still be the file that was listed. A FIFO in its place would block the open for ever; a
 * directory swapped for a symbolic link would have the bytes of a file outside the repository read.
 */
class FileTreeLoaderHostileTest {
  private static final Duration BOUND = Duration.ofSeconds(20);
  @TempDir Path repo;
  @TempDir Path outside;

  private Snapshot bigFileRead(String rel) throws IOException {
    Path big = repo.resolve(rel);
    Files.createDirectories(big.getParent());
    byte[] data = new byte[(int) Content.Bytes.LARGE + 1];
    Arrays.fill(data, (byte) 'x');
    Files.write(big, data);
    DirectorySource source = DirectorySource.of(repo);
    Snapshot snapshot = source.fetch(source.latest());
    assertTrue(snapshot.file(rel).isLarge(), "held by reference");
    return snapshot;
  }

  @Test
  void aLargeFileSwappedForAFifoAfterTheReadIsRefusedNamedAndNeverOpened() throws Exception {
    Snapshot snapshot = bigFileRead("hosts/web/big\nfile.bin");
    Path big = repo.resolve("hosts/web/big\nfile.bin");
    Files.delete(big);
    assertEquals(0, new ProcessBuilder("mkfifo", big.toString()).start().waitFor());
    SourceException e = assertThrows(SourceException.class,
        () -> assertTimeoutPreemptively(BOUND, () -> FileTreeLoader.of("hosts/web").load(snapshot)));
    assertTrue(e.getMessage().contains("hosts/web/big\\nfile.bin") && !e.getMessage().contains("\n"),
        "named, escaped: " + e.getMessage());
    assertTrue(e.getMessage().contains("a FIFO, socket or device stands in its place"), e.getMessage());
    assertThrows(IOException.class, () -> assertTimeoutPreemptively(BOUND,
        () -> snapshot.file("hosts/web/big\nfile.bin").open().close()), "the target's open is refused too");
  }

  @Test
  void aLargeFilesDirectorySwappedForALinkOutsideIsNeverReadThrough() throws Exception {
    Snapshot snapshot = bigFileRead("hosts/web/etc/shadow");
    Files.writeString(Files.createDirectories(outside.resolve("etc")).resolve("shadow"), "root:secret-hash:::\n");
    Path etc = repo.resolve("hosts/web/etc");
    Files.delete(etc.resolve("shadow"));
    Files.delete(etc);
    Files.createSymbolicLink(etc, outside.resolve("etc"));
    Content.Bytes content = snapshot.file("hosts/web/etc/shadow");
    try (InputStream in = content.open()) {
      String read = new String(in.readNBytes(64), StandardCharsets.UTF_8);
      throw new AssertionError("read through the link: " + ResourceId.escape(read));
    } catch (IOException expected) {
      assertTrue(expected.getMessage().contains("hosts/web/etc/shadow"), expected.getMessage());
    }
    SourceException e = assertThrows(SourceException.class, () -> FileTreeLoader.of("hosts/web").load(snapshot));
    assertTrue(e.getMessage().contains("hosts/web/etc/shadow"), e.getMessage());
  }

  /**
   * On Linux a backslash is a character of a name: read as a separator (as on Windows), {@code a\b}
   * would be the file {@code a/b}, and one of two files would silently replace the other (the one a
   * review saw, or not); {@code ..\..\x} would climb. Git sources refuse such a name: so does a folder.
   */
  @Test
  void aNameWithABackslashIsRefusedNamedNotReadAsAFolder() throws Exception {
    Files.writeString(Files.createDirectories(repo.resolve("hosts/web/a")).resolve("b"), "reviewed\n");
    Files.writeString(repo.resolve("hosts/web/a\\b"), "deployed?\n");
    DirectorySource source = DirectorySource.of(repo);
    SourceException e = assertThrows(SourceException.class, () -> source.fetch(source.latest()));
    assertTrue(e.getMessage().contains("'hosts/web/a\\\\b'"), e.getMessage());
  }

  /**
   * A repository nested in the folder (a vendored clone, a submodule's checkout) keeps its own
   * {@code .git}: its configuration (remote URLs with tokens) and hooks are no content of the tree,
   * as Git never commits them, and are never deployed. A folder {@code .GIT} or {@code .git.} is
   * refused as a Git tree refuses it: a host whose names ignore case or trailing dots writes it as
   * {@code .git}.
   */
  @Test
  void aNestedRepositorysOwnFolderIsNeverDeployedAndItsLookalikesAreRefused() throws Exception {
    Files.writeString(Files.createDirectories(repo.resolve("hosts/web/vendor/lib/.git")).resolve("config"),
        "[remote \"origin\"]\n  url = https://user:token@example.com/lib.git\n");
    Files.writeString(repo.resolve("hosts/web/vendor/lib/.git/HEAD"), "ref: refs/heads/main\n");
    Files.writeString(repo.resolve("hosts/web/vendor/lib/lib.conf"), "x\n");
    Files.writeString(Files.createDirectories(repo.resolve("hosts/web/sub")).resolve(".git"), "gitdir: ../.git/modules/sub\n");
    DirectorySource source = DirectorySource.of(repo);
    assertEquals(java.util.List.of(ResourceId.file("vendor/lib/lib.conf")),
        java.util.List.copyOf(FileTreeLoader.of("hosts/web").load(source.fetch(source.latest())).byId().keySet()));
    Files.writeString(Files.createDirectories(repo.resolve("hosts/web/x/.GIT/hooks")).resolve("post-merge"), "run\n");
    SourceException e = assertThrows(SourceException.class, () -> source.fetch(source.latest()));
    assertTrue(e.getMessage().contains("'hosts/web/x/.GIT'"), e.getMessage());
  }
}
