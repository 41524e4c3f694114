package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Content;
import dev.gitops.model.Snapshot;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder, often a checkout made without {@code git lfs pull} or never unlocked by git-crypt, holds
 * what no target should get: LFS pointers and git-crypt ciphertext. A {@link DirectorySource} refuses
 * them as a {@link GitSource} does, by their bytes (the folder's {@code .gitattributes} do not
 * matter), before anything is loaded; what merely resembles them is read byte for byte.
 * ({@code GitCheckoutFiltersIT} reads a real checkout made without Git LFS.)
 */
class DirectorySourceFiltersTest {
  private static final String VERSION = "version https://git-lfs.github.com/spec/v1\n";
  private static final String OID = "oid sha256:" + "ab".repeat(32) + "\n";
  private static final String POINTER = VERSION + OID + "size 5000\n";

  @TempDir Path root;

  private Path write(String rel, byte[] data) throws Exception {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    return Files.write(p, data);
  }

  private Path write(String rel, String text) throws Exception {
    return write(rel, text.getBytes(StandardCharsets.UTF_8));
  }

  /** What git-crypt's clean writes: its header, a 12-byte nonce, then ciphertext. */
  private static byte[] cipher(int length) {
    byte[] data = new byte[length];
    new Random(length).nextBytes(data);
    System.arraycopy(CheckoutFilters.GIT_CRYPT, 0, data, 0, CheckoutFilters.GIT_CRYPT.length);
    return data;
  }

  private static String refused(DirectorySource source) {
    return assertThrows(SourceException.class, source::latest).getMessage();
  }

  @Test
  void aPointerAndAnEncryptedFileAreRefusedWithWhatHelpsWhateverTheAttributesSay() throws Exception {
    write("app.yaml", "a: 1\n");
    write("assets/logo.bin", POINTER);
    write("secrets/db.env", cipher(22));
    write(".gitattributes", "* -filter\n"); // a folder's attributes change nothing: these bytes are the file
    assertEquals(DirectorySource.of(root).describe() + ": 'assets/logo.bin' (object sha256:abababababab..., 5000 bytes)"
        + " is a Git LFS pointer, not the file: the folder holds what a checkout without Git LFS writes, so a target"
        + " would get the pointer's three lines. Fetch the files into the checkout (git lfs pull; git lfs install first"
        + " where Git LFS is missing), or leave it out of the source with its exclude globs, relative to its path"
        + " (DirectorySource.of(root, path, include, List.of(\"assets/logo.bin\"))); a .gitops.yaml exclude: does not"
        + " help, it applies after the files are read; 'secrets/db.env' is encrypted by git-crypt (its header), which"
        + " this source does not decrypt: a target would get ciphertext. Decrypt the checkout (git-crypt unlock), or"
        + " leave it out of the source with its exclude globs, relative to its path (DirectorySource.of(root, path,"
        + " include, List.of(\"secrets/db.env\"))); a .gitops.yaml exclude: does not help, it applies after the files"
        + " are read", refused(DirectorySource.of(root)));
    DirectorySource excluding = DirectorySource.of(root, "", List.of(), List.of("assets/", "secrets/"));
    assertEquals(Set.of(".gitattributes", "app.yaml"), excluding.fetch(excluding.latest()).files().keySet());
  }

  @Test
  void manyAreNamedTenThenCountedRelativeToThePathAndALargeEncryptedFileToo() throws Exception {
    for (int i = 0; i < 12; i++) {
      write("deploy/p" + i + ".bin", POINTER);
    }
    Path dump = write("deploy/dump.sql", cipher(64));
    try (RandomAccessFile grow = new RandomAccessFile(dump.toFile(), "rw")) {
      grow.setLength(Content.Bytes.LARGE + 1); // held by reference: checked while its digest is streamed
    }
    Files.createSymbolicLink(root.resolve("deploy/alias.bin"), Path.of("p0.bin"));
    String m = refused(DirectorySource.of(root, "deploy", List.of(), List.of()));
    assertTrue(m.startsWith(DirectorySource.of(root, "deploy", List.of(), List.of()).describe() + ": 'alias.bin'"
        + " (object sha256:abababababab..., 5000 bytes), 'p0.bin' (object sha256:abababababab..., 5000 bytes), 'p1.bin'"), m);
    assertTrue(m.contains(", 'p6.bin' (object sha256:abababababab..., 5000 bytes) and 3 more are Git LFS pointers, not"
        + " the file"), m);
    assertTrue(m.contains("Fetch the files into the checkout (git lfs pull; git lfs install first where Git LFS is"
        + " missing), or leave them out of the source with its exclude globs, relative to its path"
        + " (DirectorySource.of(root, path, include, List.of(\"alias.bin\")))"), m);
    assertTrue(m.contains("; 'dump.sql' is encrypted by git-crypt (its header)"), m);
  }

  @Test
  void whatOnlyResemblesAPointerOrGitCryptIsReadByteForByte() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("prose.md", ("See " + VERSION + "for the format of " + OID + "size 5000\n").getBytes(StandardCharsets.UTF_8));
    files.put("order.txt", (VERSION + "size 5000\n" + OID).getBytes(StandardCharsets.UTF_8)); // size before oid
    files.put("extra.txt", (POINTER + "and a line of prose\n").getBytes(StandardCharsets.UTF_8));
    files.put("upper.txt", POINTER.replace("ab", "AB").getBytes(StandardCharsets.UTF_8)); // git-lfs: lower-case hex
    files.put("long.txt", (POINTER + "x".repeat(1100) + "\n").getBytes(StandardCharsets.UTF_8));
    files.put("gitcryptx.bin", "\0GITCRYPTX".getBytes(StandardCharsets.US_ASCII)); // 10 bytes, not the header
    files.put("header.bin", CheckoutFilters.GIT_CRYPT.clone()); // the header without its nonce
    files.put("short.bin", Arrays.copyOf(cipher(40), 21));
    byte[] smudged = new byte[5000];
    new Random(7).nextBytes(smudged);
    files.put("logo.bin", smudged); // under filter=lfs and no pointer: the file a checkout with Git LFS wrote
    files.put(".gitattributes", "* filter=lfs\n*.bin filter=git-crypt\n".getBytes(StandardCharsets.US_ASCII));
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      write(e.getKey(), e.getValue());
    }
    DirectorySource source = DirectorySource.of(root);
    Snapshot s = source.fetch(source.latest());
    assertEquals(files.keySet(), s.files().keySet());
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      assertArrayEquals(e.getValue(), s.file(e.getKey()).data(), e.getKey());
    }
  }

  @Test
  void aPointerIsOneAsGitLfsReadsItCrlfOrPaddedInALargeFile() throws Exception {
    write("crlf.bin", POINTER.replace("\n", "\r\n").strip());
    Path big = write("big.bin", POINTER + " ".repeat(LfsPointer.READ_LIMIT - POINTER.length()));
    try (RandomAccessFile grow = new RandomAccessFile(big.toFile(), "rw")) {
      grow.setLength(Content.Bytes.LARGE + 1); // git-lfs reads the first 1,024 bytes, whatever follows
    }
    String m = refused(DirectorySource.of(root));
    assertTrue(m.startsWith(DirectorySource.of(root).describe() + ": 'big.bin' (object sha256:abababababab..., 5000"
        + " bytes), 'crlf.bin' (object sha256:abababababab..., 5000 bytes) are Git LFS pointers, not the file"), m);
  }

  @Test
  void theLimitsStillStopTheReadBeforeAnyFileIsChecked() throws Exception {
    write("a.bin", POINTER);
    write("b.bin", POINTER);
    String m = refused(DirectorySource.of(root).withLimits(1, 1L << 20));
    assertTrue(m.contains(": more than 1 files selected, '"), m);
    assertTrue(refused(DirectorySource.of(root).withLimits(2, POINTER.length() + 1)).contains("hold more than"));
  }
}
