package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.FileMode;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Problem;
import dev.gitops.model.ResourceId;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import dev.gitops.source.LfsPointer;
import dev.gitops.source.LoaderContract;
import dev.gitops.source.SourceException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A file held as a Git LFS pointer is refused before anything is written: deployed, the host would get
 * the pointer's three lines in place of the file. A {@code GitSource} refuses such files itself
 * ({@code GitCheckoutFiltersIT}), and so does a {@code DirectorySource} ({@code UnfinishedCheckoutDeployTest});
 * a snapshot from another source may still hold pointers, and this loader refuses them.
 */
class LfsPointerTest {
  private static final String POINTER = "version https://git-lfs.github.com/spec/v1\noid sha256:"
      + "cd72b5cef50f".repeat(5) + "cd72\nsize 5000\n";

  @Test
  void aPointerInTheSnapshotIsAProblemNamingItAndTheRestLoads() {
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> FileTreeLoader.root().load(LoaderContract.snapshot("assets/logo.bin", POINTER, "app.conf", "port = 8080\n")));
    Problem problem = e.problems().get(0);
    assertEquals(1, e.problems().size(), e.getMessage());
    assertEquals("assets/logo.bin", problem.file());
    assertEquals(ResourceId.file("assets/logo.bin"), problem.id());
    assertTrue(problem.message().startsWith("is a Git LFS pointer (object sha256:cd72b5cef50f..., 5000 bytes), not"
        + " the file"), problem.message());

    DesiredState d = FileTreeLoader.root().load(LoaderContract.snapshot("assets/logo.bin", POINTER, "app.conf",
        "port = 8080\n", ".gitops.yaml", "exclude: [\"assets/\"]\n"));
    assertNotNull(d.get(ResourceId.file("app.conf")));
    assertNull(d.get(ResourceId.file("assets/logo.bin")), "an excluded pointer is no problem");
  }

  @Test
  void textThatOnlyLooksLikeAPointerIsAFileLikeAnyOther() {
    String oid = "oid sha256:" + "ab".repeat(32) + "\n";
    String pointer = "version https://git-lfs.github.com/spec/v1\n" + oid + "size 12\n";
    Map<String, String> files = Map.of(
        "docs/lfs-spec-example.txt", pointer + "and a line of prose that no pointer has\n",
        "etc/version", "version 1.2\n",
        "etc/big", pointer + "x-note " + "y".repeat(1100) + "\n",
        "etc/no-size", "version https://git-lfs.github.com/spec/v1\n" + oid);
    DesiredState d = FileTreeLoader.root().load(LoaderContract.snapshot(files));
    assertEquals(4, d.byId().size(), d.byId().keySet().toString());
    assertTrue(LfsPointer.parse(pointer.getBytes(StandardCharsets.UTF_8)).isPresent(), "the pointer itself is one");
  }

  @Test
  void aPointerAsGitLfsReadsItIsRefusedTooWhateverItsLength() {
    String oid = "oid sha256:" + "ab".repeat(32) + "\r\n";
    String crlf = "version https://hawser.github.com/spec/v1\r\n" + oid + "size 12"; // pre-release, CRLF, no final newline
    String padded = crlf + " ".repeat(2000) + "what git-lfs never reads"; // it reads the first 1,024 bytes
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> FileTreeLoader.root().load(LoaderContract.snapshot("a.bin", crlf, "b.bin", padded)));
    assertEquals(List.of("a.bin", "b.bin"), e.problems().stream().map(Problem::file).toList(), e.getMessage());
    assertTrue(e.problems().get(1).message().startsWith("is a Git LFS pointer (object sha256:abababababab..., 12"
        + " bytes), not the file"), e.getMessage());
  }

  @Test
  void aLargeFileHeldByReferenceIsOpenedToFindAPointerPaddedPastTheThreshold() throws Exception {
    long size = Content.Bytes.LARGE + 1; // held by reference: only its first bytes are read
    Content.Bytes padded = large(POINTER, size, '\n');
    Content.Bytes plain = large("version 1.2\n", size, ' ');
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class, () -> FileTreeLoader.root()
        .load(Snapshot.of(Revision.of("0123456789abcdef0123456789abcdef01234567"),
            Map.of("assets/logo.bin", padded, "assets/plain.bin", plain))));
    assertEquals(List.of("assets/logo.bin"), e.problems().stream().map(Problem::file).toList(), e.getMessage());
    Problem small = assertThrows(InvalidDesiredStateException.class,
        () -> FileTreeLoader.root().load(LoaderContract.snapshot("assets/logo.bin", POINTER))).problems().get(0);
    assertEquals(small, e.problems().get(0), "the same problem as for a small pointer file");
  }

  @Test
  void aLargeFileThatCannotBeOpenedFailsTheLoadNamingIt() {
    Content.Bytes gone = Content.bytes(Content.Bytes.LARGE + 1, "sha256:" + "ab".repeat(32), FileMode.REGULAR, () -> {
      throw new IOException("No such file or directory");
    });
    SourceException e = assertThrows(SourceException.class, () -> FileTreeLoader.root()
        .load(Snapshot.of(Revision.of("0123456789abcdef0123456789abcdef01234567"), Map.of("assets/logo.bin", gone))));
    assertEquals("assets/logo.bin: cannot read its first 1024 bytes to tell whether it is a Git LFS pointer: No such"
        + " file or directory", e.getMessage());
  }

  /** A file of {@code size} bytes held by reference: {@code head}, then {@code pad} to the end, made as it is read. */
  private static Content.Bytes large(String head, long size, char pad) throws Exception {
    byte[] start = head.getBytes(StandardCharsets.UTF_8);
    Content.Opener opener = () -> new SequenceInputStream(new ByteArrayInputStream(start), new InputStream() {
      private long left = size - start.length;

      @Override
      public int read() {
        return left-- > 0 ? pad : -1;
      }
    });
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (InputStream in = opener.open()) {
      byte[] buf = new byte[1 << 16];
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        sha.update(buf, 0, n);
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return Content.bytes(size, "sha256:" + HexFormat.of().formatHex(sha.digest()), FileMode.REGULAR, opener);
  }
}
