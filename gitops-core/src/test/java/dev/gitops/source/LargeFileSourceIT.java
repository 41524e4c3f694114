package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.Snapshot;
import dev.gitops.testing.git.GitRepo;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files over {@link Content.Bytes#LARGE} bytes come out of a Git or directory source by reference:
 * size and streamed SHA-256, bytes opened on demand.
 */
class LargeFileSourceIT {
  private static final int SIZE = (9 << 20) + 7;
  @TempDir Path tmp;

  /** A file of {@code SIZE} bytes, mostly zeros with a few marks, and its SHA-256 (an independent oracle). */
  private static String write(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(SIZE);
      f.seek(12_345);
      f.write("mark".getBytes());
      f.seek(SIZE - 1);
      f.write('!');
    }
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  private static void assertByReference(Content.Bytes file, Path original, String sha256, FileMode mode)
      throws IOException {
    assertTrue(file.isLarge());
    assertEquals(SIZE, file.size());
    assertEquals(sha256, file.sha256());
    assertEquals(mode, file.mode());
    assertFalse(file.isText());
    try (InputStream in = file.open()) {
      assertArrayEquals(Files.readAllBytes(original), in.readAllBytes());
    }
  }

  @Test
  void aDirectorySourceGivesALargeFileByReference() throws Exception {
    Path root = tmp.resolve("root");
    String sha256 = write(root.resolve("img/disk.img"));
    Files.writeString(root.resolve("app.conf"), "port=80\n");
    DirectorySource source = DirectorySource.of(root);
    Snapshot s = source.fetch(source.latest());
    assertByReference(s.file("img/disk.img"), root.resolve("img/disk.img"), sha256, FileMode.REGULAR);
    assertFalse(s.file("app.conf").isLarge());
  }

  @Test
  void aGitSourceGivesALargeBlobByReferenceStreamedFromTheRepository() throws Exception {
    try (GitRepo repo = GitRepo.init(tmp.resolve("remote"))) {
      String sha256 = write(repo.dir().resolve("img/disk.img"));
      repo.write("app.conf", "port=80\n");
      repo.commit("large");
      try (GitSource source = GitSource.builder(repo.dir().toString()).ref("main").cache(tmp.resolve("cache")).build()) {
        Snapshot s = source.fetch(source.latest());
        assertByReference(s.file("img/disk.img"), repo.dir().resolve("img/disk.img"), sha256, FileMode.REGULAR);
        assertEquals("port=80\n", s.text("app.conf"));
        Snapshot again = source.fetch(source.latest());
        assertEquals(s.file("img/disk.img"), again.file("img/disk.img"));
      }
    }
  }
}
