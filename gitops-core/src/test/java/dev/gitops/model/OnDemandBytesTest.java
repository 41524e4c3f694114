package dev.gitops.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.internal.Digests;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A small file read on demand ({@link Content#bytesOnDemand}): nothing read until its bytes are needed,
 * read once, checked against size and digest, and otherwise the same value as the bytes in memory.
 */
class OnDemandBytesTest {
  private static final byte[] TEXT = "port = 80\n".getBytes(StandardCharsets.UTF_8);
  private static final String SHA = Digests.ofBytes(TEXT);

  private final AtomicInteger opened = new AtomicInteger();

  private Content.Bytes onDemand(byte[] data, String sha256) {
    return Content.bytesOnDemand(data.length, sha256, FileMode.REGULAR, () -> {
      opened.incrementAndGet();
      return new ByteArrayInputStream(data);
    });
  }

  @Test
  void nothingIsReadForSizeDigestModeOrItselfAndTheBytesAreReadOnceWhenNeeded() throws IOException {
    Content.Bytes file = onDemand(TEXT, SHA);
    assertEquals(TEXT.length, file.size());
    assertEquals(SHA, file.sha256());
    assertFalse(file.isLarge());
    assertTrue(file.canOpen());
    assertTrue(file.isOnDemand());
    assertFalse(Content.bytes(TEXT, FileMode.REGULAR).isOnDemand());
    assertEquals(file, file);
    assertEquals(file, file.withMode(FileMode.EXECUTABLE).withMode(FileMode.REGULAR), "the same bytes");
    assertNotEquals(file, Content.bytes("other\n".getBytes(StandardCharsets.UTF_8), FileMode.REGULAR,
        Digests.ofBytes("other\n".getBytes(StandardCharsets.UTF_8))), "digests at hand differ: no read");
    assertEquals(0, opened.get(), "nothing read yet");

    assertArrayEquals(TEXT, file.data());
    assertTrue(file.isText());
    try (InputStream in = file.open()) {
      assertArrayEquals(TEXT, in.readAllBytes());
    }
    assertEquals(1, opened.get(), "read once, then held");
  }

  @Test
  void itIsTheSameValueAsTheBytesInMemory() {
    Content.Bytes inMemory = Content.bytes(TEXT, FileMode.REGULAR);
    Content.Bytes file = onDemand(TEXT, SHA);
    assertEquals(inMemory, file);
    assertEquals(file, inMemory);
    assertEquals(inMemory.hashCode(), file.hashCode());
    assertEquals(inMemory.digest(), file.digest());
    assertEquals(inMemory.withMode(FileMode.EXECUTABLE), file.withMode(FileMode.EXECUTABLE));
    assertNotEquals(file, file.withMode(FileMode.EXECUTABLE));
    byte[] other = TEXT.clone();
    other[0] = 'P';
    assertNotEquals(Content.bytes(other, FileMode.REGULAR), onDemand(TEXT, SHA));
  }

  @Test
  void bytesThatAreNotTheDigestGivenFailWhenReadAndAreNeverHanded() {
    byte[] changed = TEXT.clone();
    changed[0] = 'P';
    Content.Bytes file = onDemand(changed, SHA);
    IllegalStateException e = assertThrows(IllegalStateException.class, file::data);
    assertTrue(e.getMessage().contains(SHA), e.getMessage());
    assertThrows(IllegalStateException.class, () -> file.equals(Content.bytes(changed, FileMode.REGULAR)));
  }

  @Test
  void onlySmallFilesAreReadOnDemand() {
    assertThrows(IllegalArgumentException.class,
        () -> Content.bytesOnDemand(Content.Bytes.LARGE + 1, SHA, FileMode.REGULAR, InputStream::nullInputStream));
    assertThrows(IllegalArgumentException.class,
        () -> Content.bytesOnDemand(3, "sha256:nope", FileMode.REGULAR, InputStream::nullInputStream));
    assertThrows(NullPointerException.class, () -> Content.bytesOnDemand(3, SHA, FileMode.REGULAR, null));
  }
}
