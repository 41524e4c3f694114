package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.reconcile.PushDeployer;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.source.SourceException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CI workspace deployed from a folder: once its checkout is made without {@code git lfs pull} (the
 * file becomes its LFS pointer) or without {@code git-crypt unlock} (a secret becomes ciphertext), the
 * deploy is refused by the {@link DirectorySource}, naming both files, and the host keeps what it had:
 * nothing is written, nothing pruned.
 */
class UnfinishedCheckoutDeployTest {
  private static final String POINTER = "version https://git-lfs.github.com/spec/v1\noid sha256:"
      + "cd72b5cef50f".repeat(5) + "cd72\nsize 5000\n";

  @TempDir Path tmp;

  @Test
  void aPointerOrCiphertextInTheWorkspaceIsRefusedAndTheHostKeepsTheFiles() throws Exception {
    Path ws = Files.createDirectories(tmp.resolve("ws/assets"));
    byte[] logo = new byte[5000];
    new Random(7).nextBytes(logo);
    Files.write(ws.resolve("logo.bin"), logo);
    Files.writeString(tmp.resolve("ws/db.env"), "PASSWORD=hunter2\n");
    Path root = Files.createDirectories(tmp.resolve("root"));
    Reconciler site = Reconciler.builder().name("site").source(DirectorySource.of(tmp.resolve("ws")))
        .loader(FileTreeLoader.root()).target(FilesTarget.local(root)).prune(true).build();
    assertTrue(PushDeployer.of(site).deploy("main").isSuccess());

    byte[] cipher = new byte[64];
    new Random(64).nextBytes(cipher);
    System.arraycopy("\0GITCRYPT\0".getBytes(StandardCharsets.US_ASCII), 0, cipher, 0, 10);
    Files.write(tmp.resolve("ws/db.env"), cipher); // the next checkout: git-crypt locked
    assertThrows(SourceException.class, () -> PushDeployer.of(site).deploy("main"));
    assertEquals("PASSWORD=hunter2\n", Files.readString(root.resolve("db.env")), "not overwritten by ciphertext");

    Files.writeString(ws.resolve("logo.bin"), POINTER); // and no LFS
    String m = assertThrows(SourceException.class, () -> PushDeployer.of(site).deploy("main")).getMessage();
    assertTrue(m.contains(": 'assets/logo.bin' (object sha256:cd72b5cef50f..., 5000 bytes) is a Git LFS pointer, not"
        + " the file") && m.contains("(git lfs pull; "), m);
    assertTrue(m.contains("; 'db.env' is encrypted by git-crypt (its header)") && m.contains("(git-crypt unlock)"), m);
    assertArrayEquals(logo, Files.readAllBytes(root.resolve("assets/logo.bin")), "not overwritten by the pointer");
    assertEquals("PASSWORD=hunter2\n", Files.readString(root.resolve("db.env")));
  }
}
