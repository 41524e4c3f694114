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
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Files over {@link Content.Bytes#LARGE} bytes: held by reference, compared by size and SHA-256. */
class LargeBytesTest {
  private static final byte[] NINE_MIB = filled(9 << 20, (byte) 'x');
  private static final String SHA = Digests.ofBytes(NINE_MIB);

  static byte[] filled(int size, byte b) {
    byte[] data = new byte[size];
    Arrays.fill(data, b);
    return data;
  }

  private static Content.Bytes byReference(byte[] data, String sha256, FileMode mode) {
    return Content.bytes(data.length, sha256, mode, () -> new ByteArrayInputStream(data));
  }

  @Test
  void aLargeFileByReferenceEqualsTheSameBytesInMemoryAndDigestsAlike() {
    Content.Bytes inMemory = Content.bytes(NINE_MIB, FileMode.REGULAR);
    Content.Bytes reference = byReference(NINE_MIB, SHA, FileMode.REGULAR);
    Content.Bytes known = Content.bytes(NINE_MIB.length, SHA, FileMode.REGULAR, null);

    assertTrue(inMemory.isLarge());
    assertEquals(inMemory, reference);
    assertEquals(reference, known);
    assertEquals(inMemory.hashCode(), known.hashCode());
    assertEquals(inMemory.digest(), known.digest());
    assertEquals(SHA, known.sha256());
    assertEquals(9L << 20, known.size());
    assertFalse(inMemory.isText(), "a large file is never diffed line by line");
    assertNotEquals(known, known.withMode(FileMode.EXECUTABLE));
    assertNotEquals(known.digest(), known.withMode(FileMode.EXECUTABLE).digest());
    byte[] other = NINE_MIB.clone();
    other[other.length - 1] = 'y';
    assertNotEquals(inMemory, Content.bytes(other, FileMode.REGULAR));
    assertNotEquals(known, byReference(other, Digests.ofBytes(other), FileMode.REGULAR));
  }

  @Test
  void openGivesTheBytesAndFailsAtTheEndWhenTheyChangedSinceTheyWereRead() throws IOException {
    try (InputStream in = byReference(NINE_MIB, SHA, FileMode.REGULAR).open()) {
      assertArrayEquals(NINE_MIB, in.readAllBytes());
    }
    byte[] changed = NINE_MIB.clone();
    changed[4096] = 'z';
    Content.Bytes stale = byReference(changed, SHA, FileMode.REGULAR);
    try (InputStream in = stale.open()) {
      IOException e = assertThrows(IOException.class, in::readAllBytes);
      assertTrue(e.getMessage().contains("changed since it was read"), e.getMessage());
    }
    Content.Bytes longer = Content.bytes(NINE_MIB.length - 1L, SHA, FileMode.REGULAR,
        () -> new ByteArrayInputStream(NINE_MIB));
    try (InputStream in = longer.open()) {
      assertThrows(IOException.class, in::readAllBytes);
    }
    assertThrows(IllegalStateException.class, stale::data);
  }

  @Test
  void onlySizeAndDigestKnownCannotBeOpened() {
    Content.Bytes known = Content.bytes(NINE_MIB.length, SHA, FileMode.REGULAR, null);
    assertFalse(known.canOpen());
    IOException e = assertThrows(IOException.class, known::open);
    assertTrue(e.getMessage().contains("nothing to open"), e.getMessage());
    assertThrows(IllegalStateException.class, known::data);
    assertEquals("Bytes[9437184 bytes, 0644]", known.toString());
  }

  @Test
  void aSmallFileOrAMalformedDigestIsNeverByReference() {
    assertThrows(IllegalArgumentException.class,
        () -> Content.bytes(Content.Bytes.LARGE, SHA, FileMode.REGULAR, null));
    assertThrows(IllegalArgumentException.class,
        () -> Content.bytes(NINE_MIB.length, "sha256:abc", FileMode.REGULAR, null));
    Content.Bytes small = Content.bytes(filled((int) Content.Bytes.LARGE, (byte) 'a'), FileMode.REGULAR);
    assertFalse(small.isLarge());
    assertTrue(small.isText());
  }
}
