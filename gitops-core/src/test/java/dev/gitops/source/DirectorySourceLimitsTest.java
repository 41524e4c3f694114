package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hostile directory (a checked-out tree, a mounted volume) can hold: more files and bytes than
 * a heap, a 50 GB file that costs no disk, links in a loop, a tree nested thousands deep, a file
 * that grows while it is read.
 */
class DirectorySourceLimitsTest {
  private static final String RAISE = " bytes; DirectorySource.withLimits(files, bytes) raises them): narrow the"
      + " source's path or globs to the desired state, or raise the limit if this is it";
  @TempDir Path root;

  private Path write(String rel, String text) throws Exception {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    return Files.writeString(p, text);
  }

  /** A file of {@code size} zero bytes that takes no disk (a hole). */
  private Path sparse(String rel, long size) throws Exception {
    Path p = root.resolve(rel);
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(size);
    }
    return p;
  }

  private static String refused(DirectorySource source) {
    return assertThrows(SourceException.class, source::latest).getMessage();
  }

  @Test
  void aFiftyGigabyteFilePassesTheDefaultByteLimitOnItsSizeUnread() throws Exception {
    write("ok.yaml", "a: 1\n");
    sparse("zeros.img", 50L << 30);
    String e = refused(DirectorySource.of(root));
    assertTrue(e.endsWith(": the selected files hold more than 1073741824 bytes with 'zeros.img' (53687091200 bytes)"
        + " (the source's limits: 100000 files and 1073741824" + RAISE), e);
    assertTrue(e.startsWith("directory " + root + ": "), e);
    DirectorySource excluding = DirectorySource.of(root, "", List.of(), List.of("*.img"));
    assertEquals(Set.of("ok.yaml"), excluding.fetch(excluding.latest()).files().keySet(), "not selected: not counted");
  }

  @Test
  void limitsAreTheSourcesToRaiseAndCountEachSelectedFile() throws Exception {
    write("a.yaml", "a: 1\n");
    write("b.yaml", "b: 22\n");
    write("docs/readme.md", "not selected\n");
    DirectorySource source = DirectorySource.of(root, "", List.of("*.yaml"), List.of());
    String files = refused(source.withLimits(1, 100));
    assertTrue(files.matches(".*: more than 1 files selected, '[ab]\\.yaml' one more \\(the source's limits: 1 files"
        + " and 100" + RAISE.replace("(", "\\(").replace(")", "\\)")), files);
    assertTrue(refused(DirectorySource.of(root, "", List.of("a.yaml"), List.of()).withLimits(1, 4))
        .contains(": the selected files hold more than 4 bytes with 'a.yaml' (5 bytes) (the source's limits: 1 files and 4"
        + RAISE), "a file alone");
    assertTrue(refused(source.withLimits(2, 10)).contains(": the selected files hold more than 10 bytes with '"));
    assertEquals(Set.of("a.yaml", "b.yaml"), source.withLimits(2, 11).fetch(source.withLimits(2, 11).latest())
        .files().keySet(), "the unselected file is neither counted nor read");
    assertThrows(IllegalArgumentException.class, () -> source.withLimits(0, 1));
    assertThrows(IllegalArgumentException.class, () -> source.withLimits(1, 0));
  }

  @Test
  void aLinkCountsAsTheFileItNamesNotAsTheLink() throws Exception {
    write("app.yaml", "twenty bytes: 123456\n"); // a link to it is 8 bytes long
    Files.createSymbolicLink(root.resolve("alias.yaml"), Path.of("app.yaml"));
    assertTrue(refused(DirectorySource.of(root).withLimits(2, 40)).contains("hold more than 40 bytes with '"));
    DirectorySource enough = DirectorySource.of(root).withLimits(2, 42);
    assertEquals(Set.of("app.yaml", "alias.yaml"), enough.fetch(enough.latest()).files().keySet());
  }

  @Test
  void linksToDirectoriesAndLoopsAreRefusedNamedAndNeverWalked() throws Exception {
    write("d/app.yaml", "a: 1\n");
    Files.createSymbolicLink(root.resolve("d/loop"), Path.of(".."));
    assertTrue(refused(DirectorySource.of(root)).contains(": 'd/loop' is a symbolic link to a directory (never followed),"
        + " not a regular file"));
    DirectorySource excluding = DirectorySource.of(root, "", List.of(), List.of("loop"));
    assertEquals(Set.of("d/app.yaml"), excluding.fetch(excluding.latest()).files().keySet(),
        "the walk does not follow the loop: it ends, and reads each file once");
    Files.createSymbolicLink(root.resolve("ping"), Path.of("pong"));
    Files.createSymbolicLink(root.resolve("pong"), Path.of("ping"));
    String cycle = refused(DirectorySource.of(root, "", List.of(), List.of("loop", "pong")));
    assertTrue(cycle.contains(": 'ping' is a symbolic link that cannot be resolved ("), cycle);
  }

  @Test
  void directoriesNest256LevelsBelowThePathAndNoDeeper() throws Exception {
    Path deepest = root.resolve("d/" + "d/".repeat(DirectoryWalk.DEPTH - 1));
    Files.createDirectories(deepest);
    Files.writeString(deepest.resolve("f.yaml"), "a: 1\n");
    DirectorySource source = DirectorySource.of(root);
    assertEquals(Set.of("d/".repeat(DirectoryWalk.DEPTH) + "f.yaml"), source.fetch(source.latest()).files().keySet());
    Files.createDirectory(deepest.resolve("e"));
    String e = refused(source);
    assertTrue(e.endsWith(": '" + "d/".repeat(60) + "...' nests directories more than 256 levels deep, which no"
        + " desired state needs: exclude it"), e);
    DirectorySource excluding = DirectorySource.of(root, "", List.of(), List.of("e/"));
    assertEquals(1, excluding.fetch(excluding.latest()).files().size(), "excluded: not refused");
  }

  @Test
  void namesThatAreNotUtf8AreNamedTheFirstTenThenCounted() throws Exception {
    // twelve Latin-1 names (n\xe900 ... n\xe911): Java cannot name them in UTF-8, so the shell makes them
    Process p = new ProcessBuilder("sh", "-c", "for i in $(seq -w 0 11); do printf x > \"$(printf 'n\\351')$i\"; done")
        .directory(root.toFile()).inheritIO().start();
    assertEquals(0, p.waitFor());
    String e = refused(DirectorySource.of(root));
    assertTrue(e.contains(": 'n\ufffd00', 'n\ufffd01', 'n\ufffd02', 'n\ufffd03', 'n\ufffd04', 'n\ufffd05', 'n\ufffd06',"
        + " 'n\ufffd07', 'n\ufffd08', 'n\ufffd09' and 2 more have names that are not "), e);
  }

  private static Content.Bytes content(Path file, long size, String name) throws Exception {
    return DirectoryWalk.content(file, size, FileMode.REGULAR, name, "dir", CheckoutFilters.ofFolder(), name);
  }

  @Test
  void aFileIsReadNoFurtherThanTheSizeItWasCountedWith() throws Exception {
    Path small = write("app.yaml", "a: 1\n");
    assertEquals(new String(content(small, 5, "app.yaml").data()), "a: 1\n");
    for (long counted : new long[] {4, 6}) { // grew since it was counted, shrank
      SourceException e = assertThrows(SourceException.class, () -> content(small, counted, "app.yaml"));
      assertEquals("dir: 'app.yaml' changed while it was read (" + counted + " bytes when listed): something writes to"
          + " the directory; read it again once the writing is done", e.getMessage());
    }
    long size = Content.Bytes.LARGE + 1;
    Path large = sparse("big.img", size);
    Content.Bytes held = content(large, size, "big.img");
    assertEquals(size, held.size());
    assertEquals(TreeReader.sha256(Files.newInputStream(large)), held.sha256());
    for (long counted : new long[] {size - 1, size + 1}) {
      SourceException e = assertThrows(SourceException.class, () -> content(large, counted, "big.img"));
      assertTrue(e.getMessage().startsWith("dir: 'big.img' changed while it was read (" + counted + " bytes"), e.getMessage());
    }
  }
}
