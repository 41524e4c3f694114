package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Content;
import dev.gitops.model.Snapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder of the directory read swapped for a symbolic link to a folder outside the root while the
 * directory is read: no byte from outside the root is ever read as a file of the source (who can write
 * the directory must not read, through the reader, what only the reader may read).
 */
class DirectorySourceSwapTest {
  private static final Duration BOUND = Duration.ofSeconds(60);
  /** How long the swaps go on: enough reads for the swap to fall between a listing and an open. */
  private static final long SWAPPING_NANOS = Duration.ofSeconds(8).toNanos();
  @TempDir Path root;
  @TempDir Path outside;

  @Test
  void aFolderSwappedForALinkOutOfTheRootWhileReadYieldsNoByteFromOutside() throws Exception {
    Path dir = Files.createDirectories(root.resolve("conf"));
    for (int i = 0; i < 50; i++) {
      Files.writeString(dir.resolve("f" + i + ".yaml"), "inside: " + i + "\n");
      Files.writeString(outside.resolve("f" + i + ".yaml"), "SECRET: " + i + "\n");
    }
    assertNoSecretWhileSwapped(dir, java.util.List.of("*.aside", "*.link"));
  }

  /**
   * A symbolic link inside the root to a file inside it is read through the folders' descriptors from the
   * root, links not followed: a folder on the way swapped for a link out of the root between the link's
   * resolution and the open cannot make the read leave the root (it was opened by the resolved path).
   */
  @Test
  void aLinkToAFileWhoseFolderIsSwappedForALinkOutOfTheRootYieldsNoByteFromOutside() throws Exception {
    Path dir = Files.createDirectories(root.resolve("conf"));
    for (int i = 0; i < 20; i++) {
      Files.writeString(dir.resolve("f" + i + ".yaml"), "inside: " + i + "\n");
      Files.writeString(outside.resolve("f" + i + ".yaml"), "SECRET: " + i + "\n");
      Files.createSymbolicLink(root.resolve("l" + i + ".yaml"), Path.of("conf", "f" + i + ".yaml"));
    }
    assertNoSecretWhileSwapped(dir, java.util.List.of("*.aside", "*.link", "conf/"));
  }

  /**
   * A large file is opened again when a target reads it; a folder on the way swapped for a link out of the
   * root between the reopen's check and its open (then swapped back) must not make it read a file outside,
   * even one of the same size: the bytes a target reads before the digest fails at the end are the read.
   */
  @Test
  void aLargeFileReopenedWhileItsFolderIsSwappedForALinkOutOfTheRootYieldsNoByteFromOutside() throws Exception {
    Path dir = Files.createDirectories(root.resolve("conf"));
    int size = (int) Content.Bytes.LARGE + 1;
    byte[] inside = new byte[size];
    java.util.Arrays.fill(inside, (byte) 'i');
    byte[] secret = new byte[size];
    java.util.Arrays.fill(secret, (byte) 'S');
    Files.write(dir.resolve("big.bin"), inside);
    Files.write(outside.resolve("big.bin"), secret);
    DirectorySource source = DirectorySource.of(root);
    Content.Bytes content = source.fetch(source.latest()).file("conf/big.bin");
    assertTrue(content.isLarge(), "held by reference");
    Path link = Files.createSymbolicLink(root.resolve("conf.link"), outside);
    AtomicInteger opens = new AtomicInteger();
    try (PathSwapper swapper = PathSwapper.start(dir, link, root.resolve("conf.aside"))) {
      String leaked = assertTimeoutPreemptively(BOUND, () -> {
        for (long start = System.nanoTime(); System.nanoTime() - start < SWAPPING_NANOS; opens.incrementAndGet()) {
          try (java.io.InputStream in = content.open()) {
            if (in.read() == 'S') {
              return "a byte of the file outside";
            }
          } catch (IOException e) {
            // refused: something else stood at its path
          }
        }
        return null;
      });
      assertTrue(leaked == null, leaked + " was read (after " + opens.get() + " opens)");
      assertTrue(swapper.swaps() > 0, "swapped");
    }
  }

  /**
   * Reads the root again and again for {@link #SWAPPING_NANOS}, {@code exclude} left out, while another
   * thread swaps {@code dir} for a link to {@code outside} and back: no read may yield a file holding
   * {@code SECRET} (a read refused is fine).
   */
  private void assertNoSecretWhileSwapped(Path dir, java.util.List<String> exclude) throws Exception {
    Path link = Files.createSymbolicLink(root.resolve("conf.link"), outside);
    AtomicInteger reads = new AtomicInteger();
    AtomicInteger whole = new AtomicInteger();
    try (PathSwapper swapper = PathSwapper.start(dir, link, root.resolve("conf.aside"))) {
      String leaked = assertTimeoutPreemptively(BOUND, () -> {
        for (long start = System.nanoTime(); System.nanoTime() - start < SWAPPING_NANOS; reads.incrementAndGet()) {
          Snapshot s;
          try {
            DirectorySource source = DirectorySource.of(root, "", java.util.List.of(), exclude);
            s = source.fetch(source.latest());
            whole.incrementAndGet();
          } catch (SourceException e) {
            continue; // refused: something changed while read, or a link stood there when listed
          }
          for (Content.Bytes c : s.files().values()) {
            String text = new String(c.data(), StandardCharsets.UTF_8);
            if (text.contains("SECRET")) {
              return text;
            }
          }
        }
        return null;
      });
      assertTrue(leaked == null, "a file from outside the root was read as the source's: " + leaked + " (after "
          + reads.get() + " reads, " + whole.get() + " whole)");
      assertTrue(swapper.swaps() > 0, "swapped");
    }
  }
}
