package dev.gitops.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.eclipse.jgit.lib.ObjectId;

/**
 * The SHA-256 of blobs read before, by blob id, kept in a file of the repository cache so that a new
 * process does not hash an unchanged file again: a plan over SSH compares every desired file with the
 * host's {@code sha256sum}, and hashing 1,000 files was a tenth of a command line's CPU. A blob id
 * names its bytes, so an entry never goes stale; only a blob the checkout filters passed (not a Git LFS
 * pointer, not encrypted: decided by its bytes alone) is kept, so a kept digest also means a checked
 * blob. The file is private to the cache (its directory is the user's alone) and as trusted as the
 * cache's objects are; one that is torn, of another format or failing its CRC-32 is ignored and
 * written again whole. Beyond {@code maxEntries} the least recently used are dropped. Thread-safe.
 * Not part of the public API.
 *
 * <p>File format: {@code gitops-blob-sha256 1\n}, then per entry the 20 bytes of the blob id and the
 * 71 ASCII bytes of {@code sha256:<hex>}, then the CRC-32 of everything before it (4 bytes, big-endian).
 */
final class BlobDigests {
  /** The default bound: the blobs of a few revisions of a repository of 10,000 files (91 bytes each on disk). */
  static final int MAX_ENTRIES = 32_768;
  private static final byte[] HEADER = "gitops-blob-sha256 1\n".getBytes(StandardCharsets.US_ASCII);
  private static final int DIGEST = "sha256:".length() + 64;
  private static final int ID = org.eclipse.jgit.lib.Constants.OBJECT_ID_LENGTH;
  private static final int ENTRY = ID + DIGEST;

  private final Path file;
  private final int maxEntries;
  private final LinkedHashMap<ObjectId, String> digests;
  private boolean loaded; // guarded by this
  private boolean changed; // guarded by this

  /** Digests kept in this JVM only, at most {@link #MAX_ENTRIES} (tests, and reads with no cache directory). */
  static BlobDigests inMemory() {
    return new BlobDigests(null, MAX_ENTRIES);
  }

  /** Digests kept in {@code file} (read on first use), at most {@link #MAX_ENTRIES}. */
  BlobDigests(Path file) {
    this(file, MAX_ENTRIES);
  }

  BlobDigests(Path file, int maxEntries) {
    this.file = file;
    this.maxEntries = maxEntries;
    this.digests = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<ObjectId, String> eldest) {
        return size() > BlobDigests.this.maxEntries;
      }
    };
  }

  /** The SHA-256 of blob {@code id}, {@code sha256:<hex>}, or null when it was not kept. */
  synchronized String get(ObjectId id) {
    load();
    return digests.get(id);
  }

  /** Keeps {@code sha256} as the digest of blob {@code id} (a checked blob: see the class comment). */
  synchronized void put(ObjectId id, String sha256) {
    load();
    if (!sha256.equals(digests.put(id.copy(), sha256))) {
      changed = true;
    }
  }

  /** Forgets every digest, kept or not (the cache is being rebuilt: its file goes with it). */
  synchronized void clear() {
    digests.clear();
    loaded = true;
    changed = false;
  }

  /**
   * Writes the file again when a digest was added since it was read or last written: whole, to a
   * temporary file renamed over it, so that a reader sees the old file or the new one. A failure to
   * write is not an error (the next process hashes again).
   */
  synchronized void save() {
    if (!changed || file == null || !Files.isDirectory(file.getParent())) {
      return;
    }
    ByteBuffer out = ByteBuffer.allocate(HEADER.length + digests.size() * ENTRY + Integer.BYTES);
    out.put(HEADER);
    byte[] raw = new byte[ID];
    for (Map.Entry<ObjectId, String> e : digests.entrySet()) {
      e.getKey().copyRawTo(raw, 0);
      out.put(raw).put(e.getValue().getBytes(StandardCharsets.US_ASCII));
    }
    CRC32 crc = new CRC32();
    crc.update(out.array(), 0, out.position());
    out.putInt((int) crc.getValue());
    Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    try {
      Files.write(tmp, out.array());
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      changed = false;
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the next save writes another temporary file; this one is only a cache's leftover
      }
    }
  }

  /** Reads the file once; one that is missing, torn or of another format adds nothing. */
  private void load() {
    if (loaded) {
      return;
    }
    loaded = true;
    if (file == null) {
      return;
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      changed = true; // unreadable: written again whole at the next save
      return;
    }
    List<Map.Entry<ObjectId, String>> read = parse(bytes);
    if (read == null) {
      changed = true;
      return;
    }
    read.forEach(e -> digests.put(e.getKey(), e.getValue()));
  }

  /** The entries of a file's {@code bytes}, oldest first; null when the file is not one this class wrote whole. */
  static List<Map.Entry<ObjectId, String>> parse(byte[] bytes) {
    int body = bytes.length - HEADER.length - Integer.BYTES;
    if (body < 0 || body % ENTRY != 0 || !Arrays.equals(bytes, 0, HEADER.length, HEADER, 0, HEADER.length)) {
      return null;
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - Integer.BYTES);
    if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - Integer.BYTES, Integer.BYTES).getInt()) {
      return null;
    }
    List<Map.Entry<ObjectId, String>> entries = new ArrayList<>(body / ENTRY);
    for (int at = HEADER.length; at < bytes.length - Integer.BYTES; at += ENTRY) {
      // the CRC vouches for the text; Content.bytes checks each digest's form again when it is used
      entries.add(Map.entry(ObjectId.fromRaw(bytes, at), new String(bytes, at + ID, DIGEST, StandardCharsets.ISO_8859_1)));
    }
    return entries;
  }
}
