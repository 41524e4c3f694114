package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.gitops.internal.Digests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blobs' digests a cache keeps for the next process: what is written is read back, and nothing else is. */
class BlobDigestsTest {
  @TempDir Path tmp;

  private static ObjectId blob(String text) {
    return new ObjectInserter.Formatter().idFor(Constants.OBJ_BLOB, text.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(String text) {
    return Digests.ofBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void whatOneProcessKeptTheNextReadsTheNewestWithinTheBound() throws Exception {
    Path file = tmp.resolve("digests");
    BlobDigests first = new BlobDigests(file, 3);
    for (String text : List.of("a", "b", "c", "d")) {
      first.put(blob(text), sha256(text));
    }
    first.get(blob("b")); // used again: "c" is now the eldest
    first.put(blob("e"), sha256("e"));
    first.save();

    BlobDigests next = new BlobDigests(file, 3);
    assertNull(next.get(blob("a")), "dropped beyond the bound");
    assertNull(next.get(blob("c")), "the least recently used, dropped");
    for (String text : List.of("b", "d", "e")) {
      assertEquals(sha256(text), next.get(blob(text)), text);
    }
  }

  @Test
  void aFileTornOrAlteredIsIgnoredAndWrittenAgainWhole() throws Exception {
    Path file = tmp.resolve("digests");
    BlobDigests kept = new BlobDigests(file);
    kept.put(blob("a"), sha256("a"));
    kept.put(blob("b"), sha256("b"));
    kept.save();
    byte[] whole = Files.readAllBytes(file);
    assertNotNull(BlobDigests.parse(whole));

    byte[] altered = whole.clone();
    altered[altered.length / 2] ^= 1; // one bit of a digest: the CRC no longer matches
    Files.write(file, altered);
    BlobDigests afterFlip = new BlobDigests(file);
    assertNull(afterFlip.get(blob("a")), "nothing taken from an altered file");
    assertNull(afterFlip.get(blob("b")));
    afterFlip.save();
    assertNotNull(BlobDigests.parse(Files.readAllBytes(file)), "written again whole, though nothing was added");

    Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 10));
    assertNull(new BlobDigests(file).get(blob("a")), "nothing taken from a torn file");
    Files.writeString(file, "gitops-blob-sha256 2\n");
    assertNull(new BlobDigests(file).get(blob("a")), "nor from another format");
  }

  @Test
  void nothingIsWrittenWhenNothingWasAddedNorForAPlainRereadOfTheSameDigest() throws Exception {
    Path file = tmp.resolve("digests");
    BlobDigests none = new BlobDigests(file);
    assertNull(none.get(blob("a")));
    none.save();
    assertFalse(Files.exists(file), "no digest, no file");

    BlobDigests kept = new BlobDigests(file);
    kept.put(blob("a"), sha256("a"));
    kept.save();
    byte[] before = Files.readAllBytes(file);
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(0));
    BlobDigests again = new BlobDigests(file);
    again.put(blob("a"), sha256("a"));
    again.save();
    assertEquals(0, Files.getLastModifiedTime(file).toMillis(), "the same digest again: not written");
    assertArrayEquals(before, Files.readAllBytes(file));
  }
}
