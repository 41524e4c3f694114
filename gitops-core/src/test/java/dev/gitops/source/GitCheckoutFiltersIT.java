package dev.gitops.source;

import static dev.gitops.source.RawTrees.entry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.model.Snapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a checkout would write otherwise than the committed blob, and a source reading blobs cannot
 * give: Git LFS pointers (made by the real {@code git lfs} where it is installed, else written raw),
 * git-crypt-encrypted files and {@code .gitattributes} filter drivers. Each is refused, naming its
 * files, before anything is deployed; what merely resembles them is read as committed.
 */
class GitCheckoutFiltersIT {
  private static final String OID = "oid sha256:" + "ab".repeat(32) + "\n";
  private static final String POINTER = "version https://git-lfs.github.com/spec/v1\n" + OID + "size 5000\n";
  private static final byte[] LOGO = cipher(5000, 0);

  @TempDir Path tmp;
  @AutoClose private RawTrees raw;

  @BeforeEach
  void setUp() {
    raw = RawTrees.init(tmp.resolve("remote"));
  }

  private Snapshot read(UnaryOperator<GitSource.Builder> options) {
    try (GitSource source = options.apply(raw.source(tmp.resolve("cache"))).build()) {
      return source.fetch(source.latest());
    }
  }

  private String refused(UnaryOperator<GitSource.Builder> options) {
    return assertThrows(SourceException.class, () -> read(options)).getMessage();
  }

  private static String git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.com"));
    argv.addAll(List.of(args));
    ProcessBuilder git = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
    if (args[0].equals("clone")) {
      git.environment().put("GIT_LFS_SKIP_SMUDGE", "1"); // as a CI checkout without Git LFS: the pointers stay
    }
    Process p = git.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "git " + args[0] + " did not end");
    return p.exitValue() == 0 ? out : null;
  }

  /** A repository made by the real {@code git lfs}: {@code assets/logo.bin} ({@link #LOGO}) in LFS, and {@code app.yaml}. */
  private Path lfsRepository() throws Exception {
    Path repo = Files.createDirectories(tmp.resolve("lfs"));
    assumeTrue(git(repo, "lfs", "version") != null, "git lfs not installed: skipping (apt-get install git-lfs)");
    git(repo, "init", "-q", "-b", "main");
    git(repo, "lfs", "install", "--local");
    git(repo, "lfs", "track", "assets/*.bin");
    Files.createDirectories(repo.resolve("assets"));
    Files.write(repo.resolve("assets/logo.bin"), LOGO);
    Files.writeString(repo.resolve("app.yaml"), "a: 1\n");
    git(repo, "add", "-A");
    assertTrue(git(repo, "commit", "-q", "-m", "assets in LFS") != null);
    return repo;
  }

  @Test
  void aFileInGitLfsIsRefusedNamingItsObjectAndExcludedTheRestIsRead() throws Exception {
    Path repo = lfsRepository();
    String oid = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(LOGO));

    try (GitSource source = GitSource.builder(repo.toString()).ref("main").cache(tmp.resolve("c1")).build()) {
      String m = assertThrows(SourceException.class, () -> source.fetch(source.latest())).getMessage();
      assertTrue(m.contains(": 'assets/logo.bin' (object sha256:" + oid.substring(0, 12) + "..., 5000 bytes) is a"
          + " Git LFS pointer, not the file: Git LFS is not supported"), m);
      assertTrue(m.contains("git lfs migrate export") && m.contains(".exclude(\"assets/logo.bin\")"), m);
    }
    try (GitSource source = GitSource.builder(repo.toString()).ref("main").cache(tmp.resolve("c2"))
        .exclude("assets/").build()) {
      assertEquals(Set.of(".gitattributes", "app.yaml"), source.fetch(source.latest()).files().keySet());
    }
  }

  @Test
  void aCheckoutMadeWithoutGitLfsIsRefusedByADirectorySourceUntilGitLfsPull() throws Exception {
    Path repo = lfsRepository();
    Path checkout = tmp.resolve("checkout");
    assertTrue(git(tmp, "clone", "-q", repo.toString(), checkout.toString()) != null);
    String pointer = Files.readString(checkout.resolve("assets/logo.bin"));
    assertTrue(pointer.startsWith("version https://git-lfs.github.com/spec/v1\noid sha256:"), pointer);
    String oid = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(LOGO));
    DirectorySource source = DirectorySource.of(checkout);
    String m = assertThrows(SourceException.class, source::latest).getMessage();
    assertTrue(m.startsWith(source.describe() + ": 'assets/logo.bin' (object sha256:" + oid.substring(0, 12) + "...,"
        + " 5000 bytes) is a Git LFS pointer, not the file: the folder holds what a checkout without Git LFS writes"), m);
    assertTrue(m.contains("(git lfs pull; ") && m.contains("List.of(\"assets/logo.bin\")"), m);
    Path copied = Files.createDirectories(tmp.resolve("copied/deploy")); // the pointer copied out of the checkout
    Files.copy(checkout.resolve("assets/logo.bin"), copied.resolve("logo.bin"));
    String copy = assertThrows(SourceException.class, DirectorySource.of(tmp.resolve("copied"), "deploy", List.of(),
        List.of())::latest).getMessage();
    assertTrue(copy.contains("(path deploy): 'logo.bin' (object sha256:" + oid.substring(0, 12) + "..., 5000"), copy);

    assertTrue(git(checkout, "lfs", "pull") != null, "git lfs pull from the local repository");
    Snapshot s = source.fetch(source.latest()); // .gitattributes says filter=lfs: the smudged file is the file
    assertArrayEquals(LOGO, s.file("assets/logo.bin").data());
    assertEquals(Set.of(".gitattributes", "app.yaml", "assets/logo.bin"), s.files().keySet());
  }

  @Test
  void pointersAreNamedTenThenCountedUnderTheSourcePath() throws Exception {
    List<RawTrees.Entry> many = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      many.add(entry("p" + i + ".bin", FileMode.REGULAR_FILE, raw.blob(POINTER)));
    }
    raw.commit(raw.tree(entry("deploy", FileMode.TREE, raw.tree(many.toArray(RawTrees.Entry[]::new)))));
    String m = refused(b -> b.path("deploy"));
    assertTrue(m.contains(": 'deploy/p0.bin' (object sha256:abababababab..., 5000 bytes), 'deploy/p1.bin'"), m);
    assertTrue(m.contains("'deploy/p10.bin' (object sha256:abababababab..., 5000 bytes), 'deploy/p2.bin'"), m);
    assertTrue(m.contains("'deploy/p8.bin' (object sha256:abababababab..., 5000 bytes) and 1 more are Git LFS"
        + " pointers"), m);
    assertTrue(m.contains("exclude(\"p0.bin\")"), "globs relative to the source's path: " + m);
  }

  @Test
  void aPointerAsGitLfsReadsItIsRefusedCrlfOrPaddedInALargeBlobAtEveryPath() throws Exception {
    byte[] large = Arrays.copyOf((POINTER + " ".repeat(LfsPointer.READ_LIMIT - POINTER.length()))
        .getBytes(StandardCharsets.UTF_8), 9 << 20); // git-lfs reads the first 1,024 bytes, whatever follows
    ObjectId blob = raw.blob(large);
    raw.commit(raw.tree(entry("a.bin", FileMode.REGULAR_FILE, blob), entry("b.bin", FileMode.REGULAR_FILE, blob),
        entry("crlf.bin", FileMode.REGULAR_FILE, raw.blob(POINTER.replace("\n", "\r\n")))));
    try (GitSource source = raw.source(tmp.resolve("cache")).build()) {
      for (int fetch = 0; fetch < 2; fetch++) {
        String m = assertThrows(SourceException.class, () -> source.fetch(source.latest())).getMessage();
        assertTrue(m.contains(": 'a.bin' (object sha256:abababababab..., 5000 bytes), 'b.bin' (object"
            + " sha256:abababababab..., 5000 bytes), 'crlf.bin' (object sha256:abababababab..., 5000 bytes) are Git"
            + " LFS pointers"), m);
      }
    }
  }

  @Test
  void gitCryptEncryptedFilesAreRefusedSmallAndLargeOnEveryFetch() throws Exception {
    byte[] small = cipher(40);
    byte[] large = cipher(9 << 20); // held by reference: checked while its digest is streamed
    raw.commit(raw.tree(entry("app.yaml", FileMode.REGULAR_FILE, raw.blob("a: 1\n")),
        entry("secrets", FileMode.TREE, raw.tree(entry("db.env", FileMode.REGULAR_FILE, raw.blob(small)),
            entry("dump.sql", FileMode.REGULAR_FILE, raw.blob(large))))));
    try (GitSource source = raw.source(tmp.resolve("cache")).build()) {
      for (int fetch = 0; fetch < 2; fetch++) {
        String m = assertThrows(SourceException.class, () -> source.fetch(source.latest())).getMessage();
        assertTrue(m.contains(": 'secrets/db.env', 'secrets/dump.sql' are encrypted by git-crypt (its header), which"
            + " this source does not decrypt"), m);
      }
    }
    assertEquals(Set.of("app.yaml"), read(b -> b.exclude("secrets/")).files().keySet());
  }

  @Test
  void whatOnlyResemblesAPointerOrGitCryptIsReadAsCommitted() throws Exception {
    String version = "version https://git-lfs.github.com/spec/v1\n";
    List<byte[]> lookalikes = new ArrayList<>();
    for (String text : new String[] {version + "size 5000\n", POINTER + "and a line of prose\n", "version 1.2\n",
        version + OID + "size 5000 bytes", POINTER.replace("size", "siz"), POINTER + "x".repeat(1100) + "\n",
        version + "oid sha256:" + "ab".repeat(31) + "\nsize 5000\n", "\0GITCRYPTX", // 10 bytes, not the header
        "GITCRYPT\0 and prose\n"}) {
      lookalikes.add(text.getBytes(StandardCharsets.UTF_8));
    }
    lookalikes.add(CheckoutFilters.GIT_CRYPT); // the header alone: git-crypt's smudge needs 22 bytes, passes it through
    lookalikes.add(Arrays.copyOf(cipher(40), 21));
    List<RawTrees.Entry> files = new ArrayList<>();
    for (int i = 0; i < lookalikes.size(); i++) {
      files.add(entry("doc" + i + ".txt", FileMode.REGULAR_FILE, raw.blob(lookalikes.get(i))));
    }
    files.add(entry(".gitattributes", FileMode.REGULAR_FILE, raw.blob("*.txt filter=lfs\ndoc1?.txt filter=git-crypt\n")));
    raw.commit(raw.tree(files.toArray(RawTrees.Entry[]::new)));
    Snapshot s = read(b -> b);
    for (int i = 0; i < lookalikes.size(); i++) {
      assertArrayEquals(lookalikes.get(i), s.file("doc" + i + ".txt").data(), "no pointer, no ciphertext: as committed");
    }
    raw.commit(raw.tree(entry("f.bin", FileMode.REGULAR_FILE, raw.blob(cipher(22)))));
    assertTrue(refused(b -> b).contains(": 'f.bin' is encrypted by git-crypt"), "22 bytes: header and nonce");
  }

  /** What git-crypt's clean writes: its header, a 12-byte nonce, then ciphertext. */
  private static byte[] cipher(int length) {
    return cipher(length, CheckoutFilters.GIT_CRYPT.length);
  }

  /** {@code length} random bytes, the first {@code header} of them git-crypt's header. */
  private static byte[] cipher(int length, int header) {
    byte[] data = new byte[length];
    new Random(length).nextBytes(data);
    System.arraycopy(CheckoutFilters.GIT_CRYPT, 0, data, 0, header);
    return data;
  }

  @Test
  void aFilterDriverFromAnyGitattributesOnTheWayIsRefusedAndUnsettingItReads() throws Exception {
    ObjectId root = raw.blob("[attr]vaulted filter=vault\n*.enc vaulted\n*.sops.yaml filter=sops\n"
        + "*.md filter=lfs\nplain/* filter=git-crypt\n");
    ObjectId secret = raw.blob("kind: Secret\n");
    ObjectId deploy = raw.tree(entry("a.sops.yaml", FileMode.REGULAR_FILE, secret),
        entry("b.enc", FileMode.REGULAR_FILE, raw.blob("x")), entry("README.md", FileMode.REGULAR_FILE, raw.blob("# r\n")),
        entry("plain", FileMode.TREE, raw.tree(entry("c.txt", FileMode.REGULAR_FILE, raw.blob("not encrypted\n")))),
        entry("app.yaml", FileMode.REGULAR_FILE, raw.blob("a: 1\n")));
    raw.commit(raw.tree(entry(".gitattributes", FileMode.REGULAR_FILE, root), entry("deploy", FileMode.TREE, deploy)));
    String m = refused(b -> b.path("deploy"));
    assertTrue(m.contains(": 'deploy/a.sops.yaml' (filter=sops), 'deploy/b.enc' (filter=vault) have a .gitattributes"
        + " filter driver, whose command a checkout runs and this source does not"), m);
    assertFalse(m.contains("README") || m.contains("c.txt") || m.contains("app.yaml"), m);

    raw.commit(raw.tree(entry(".gitattributes", FileMode.REGULAR_FILE, root), entry("deploy", FileMode.TREE,
        raw.tree(entry(".gitattributes", FileMode.REGULAR_FILE, raw.blob("*.sops.yaml -filter\n")),
            entry("a.sops.yaml", FileMode.REGULAR_FILE, secret)))));
    Snapshot s = read(b -> b.path("deploy"));
    assertArrayEquals("kind: Secret\n".getBytes(StandardCharsets.UTF_8), s.file("a.sops.yaml").data());
  }

  @Test
  void eolIdentAndEncodingAttributesLeaveTheCommittedBytes() throws Exception {
    raw.commit(raw.tree(
        entry(".gitattributes", FileMode.REGULAR_FILE, raw.blob("* text eol=crlf ident\n"
            + "*.txt working-tree-encoding=UTF-16\n")),
        entry("app.yaml", FileMode.REGULAR_FILE, raw.blob("a: 1\nid: $Id$\n")),
        entry("note.txt", FileMode.REGULAR_FILE, raw.blob("h\u00e9\n"))));
    Snapshot s = read(b -> b);
    assertEquals("a: 1\nid: $Id$\n", s.text("app.yaml"), "no CRLF, no ident");
    assertEquals("h\u00e9\n", s.text("note.txt"), "UTF-8 as committed, not UTF-16");
  }
}
