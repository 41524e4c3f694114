package dev.gitops.source;

import static dev.gitops.source.RawTrees.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Revision;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.WindowCacheConfig;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Size bombs a contributor can push: Git compresses zeros a thousandfold and lets one blob have any
 * number of names, so a small push can stand for more files and bytes than a heap holds.
 */
class GitSizeLimitsIT {
  private static final String LIMITS = " (the source's limits: 100000 files and 1073741824 bytes;"
      + " GitSource.builder(url).limits(files, bytes) raises them): narrow the source's path or globs to the"
      + " desired state, or raise the limit if this is it";
  @TempDir Path tmp;
  @AutoClose private RawTrees raw;

  @BeforeEach
  void setUp() {
    raw = RawTrees.init(tmp.resolve("remote"));
  }

  private GitSource.Builder source() {
    return raw.source(tmp.resolve("cache"));
  }

  /** A blob of {@code size} zeros, streamed into the repository (it deflates to about a thousandth). */
  private ObjectId zeros(long size) throws Exception {
    InputStream in = new InputStream() {
      private long left = size;

      @Override
      public int read() {
        return left-- > 0 ? 0 : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        int n = (int) Math.min(len, left);
        left -= n;
        java.util.Arrays.fill(b, off, off + Math.max(n, 0), (byte) 0);
        return n > 0 ? n : -1;
      }
    };
    return raw.inserter().insert(Constants.OBJ_BLOB, size, in);
  }

  /** A tree of {@code count} names (f0000000, f0000001, ... in Git's order) for one blob. */
  private ObjectId names(int count, ObjectId blob) throws Exception {
    TreeFormatter tree = new TreeFormatter(count * 37);
    for (int i = 0; i < count; i++) {
      tree.append(String.format("f%07d", i), FileMode.REGULAR_FILE, blob);
    }
    return raw.inserter().insert(tree);
  }

  /** The newest revision, its objects fetched into the cache ({@code latest()} fetches the commit it names). */
  private Revision fetched() {
    try (GitSource source = source().build()) {
      return source.latest();
    }
  }

  private long size(ObjectId object) throws Exception {
    return raw.repository().getObjectDatabase().open(object).getSize();
  }

  private String refused(GitSource.Builder builder) {
    try (GitSource source = builder.build()) {
      return assertThrows(SourceException.class, () -> source.fetch(source.latest())).getMessage();
    }
  }

  @Test
  void aMillionNamesForOneBlobPassTheFileLimit() throws Exception {
    raw.commit(raw.tree(entry("big", FileMode.TREE, names(1_000_000, raw.blob("a: 1\n")))));
    String e = refused(source());
    assertTrue(e.endsWith(": more than 100000 files selected, 'big/f0100000' one more" + LIMITS), e);
    try (GitSource source = source().exclude("big/").build()) {
      assertEquals(Set.of(), source.fetch(source.latest()).files().keySet(), "walked, not selected: no matter");
    }
  }

  @Test
  void oneCompressedBlobUnderManyNamesPassesTheByteLimitBeforeItIsRead() throws Exception {
    raw.commit(raw.tree(entry("img", FileMode.TREE, names(129, zeros(8L << 20))))); // 129 x 8 MiB, 8 KiB packed
    String e = refused(source());
    assertTrue(e.endsWith(": the selected files hold more than 1073741824 bytes with 'img/f0000128' (8388608 bytes)"
        + LIMITS), e);
  }

  @Test
  void aGibibyteBlobPassesTheByteLimitOnItsHeader() throws Exception {
    raw.commit(raw.tree(entry("ok.yaml", FileMode.REGULAR_FILE, raw.blob("a: 1\n")),
        entry("zeros.img", FileMode.REGULAR_FILE, zeros((1L << 30) + 1))));
    String e = refused(source());
    assertTrue(e.endsWith(": the selected files hold more than 1073741824 bytes with 'zeros.img' (1073741825 bytes)"
        + LIMITS), e);
  }

  @Test
  void limitsAreTheSourcesToRaise() throws Exception {
    raw.commit(raw.tree(entry("a.yaml", FileMode.REGULAR_FILE, raw.blob("a: 1\n")),
        entry("b.yaml", FileMode.REGULAR_FILE, raw.blob("b: 22\n"))));
    assertTrue(refused(source().limits(1, 100)).contains(": more than 1 files selected, 'b.yaml' one more"));
    assertTrue(refused(source().limits(2, 10)).contains(": the selected files hold more than 10 bytes with 'b.yaml'"
        + " (6 bytes) (the source's limits: 2 files and 10 bytes;"));
    try (GitSource source = source().limits(2, 11).build()) {
      assertEquals(Set.of("a.yaml", "b.yaml"), source.fetch(source.latest()).files().keySet());
    }
    assertThrows(IllegalArgumentException.class, () -> source().limits(0, 1));
    assertThrows(IllegalArgumentException.class, () -> source().limits(1, 0));
  }

  /**
   * JGit reads an object past its stream threshold ({@code core.streamFileThreshold}, 50 MiB by default)
   * only as a stream: {@code getCachedBytes()} throws its unchecked {@code LargeObjectException}, which
   * escaped a fetch for a {@code .gitattributes} between 50 and 100 MiB (Git reads one under 100 MiB), and
   * for a root tree past 50 MiB when a submodule was looked up in {@code .gitmodules}. JGit's threshold
   * (one per JVM, {@link WindowCacheConfig}) is lowered to 1 KiB here, so that objects of a few KiB take
   * the path those would; it is put back after.
   */
  @Test
  void objectsPastJGitsStreamThresholdAreReadOrRefusedClearly() throws Exception {
    ObjectId attributes = raw.blob("docs/** linguist-documentation\n" + "# a comment\n".repeat(400)); // 4.8 KiB
    RawTrees.Entry[] entries = new RawTrees.Entry[103];
    for (int i = 0; i < 100; i++) { // a root tree of 100 entries and more: over 1 KiB
      entries[i] = entry(String.format("f%03d.txt", i), FileMode.REGULAR_FILE, raw.blob("x" + i));
    }
    entries[100] = entry(".gitattributes", FileMode.REGULAR_FILE, attributes);
    entries[101] = entry("deploy", FileMode.TREE, raw.tree(entry("app.yaml", FileMode.REGULAR_FILE, raw.blob("a: 1\n"))));
    entries[102] = entry("big", FileMode.TREE, raw.tree(entry("app.yaml", FileMode.REGULAR_FILE,
        raw.blob("a: 1\n" + "#".repeat(4096) + "\n")))); // 4 KiB, under Content.Bytes.LARGE: held in memory
    ObjectId root = raw.tree(entries);
    entries = java.util.Arrays.copyOf(entries, 104);
    entries[103] = entry("lib", FileMode.GITLINK, ObjectId.fromString("0123456789abcdef0123456789abcdef01234567"));
    ObjectId withSubmodule = raw.tree(entries);
    raw.commit(root);
    Revision attributed = fetched(); // fetched at JGit's own threshold: its upload-pack streams none past it
    raw.commit(withSubmodule);
    Revision submodule = fetched();
    WindowCacheConfig defaults = new WindowCacheConfig();
    WindowCacheConfig small = new WindowCacheConfig();
    small.setStreamFileThreshold(1024);
    small.install();
    try {
      try (GitSource source = source().path("deploy").build()) {
        assertEquals(Set.of("app.yaml"), source.fetch(attributed).files().keySet(), "past the threshold: attributes");
      }
      try (GitSource source = source().path("big").build()) {
        assertEquals(4102, source.fetch(attributed).files().get("app.yaml").size(), "past the threshold: a file");
      }
      try (GitSource source = source().build()) {
        String e = assertThrows(SourceException.class, () -> source.fetch(submodule)).getMessage();
        assertTrue(e.contains(": a submodule is not supported: 'lib' (no URL in .gitmodules)."), e);
      }
    } finally {
      defaults.install();
    }
  }

  /**
   * JGit's {@code RevWalk} reads a commit or an annotated tag whole, and one past its stream threshold only
   * up to 5 MiB ({@code RevWalk.getCachedBytes}): past both, its unchecked {@code LargeObjectException}
   * escaped {@code latest()} and {@code fetch}, from parsing the commit, peeling a tag and looking for a
   * signed tag on the commit. Each is refused naming the object, with the threshold lowered as above; the
   * refs are commit and tag ids, read from the cache, as this remote is JGit's own and would refuse to
   * advertise such a tag then.
   */
  @Test
  void aCommitOrTagPastWhatJGitReadsWholeIsRefusedNamingIt() throws Exception {
    String huge = "deploy\n\n" + "a very long message\n".repeat(300_000); // 6 MB, past 5 MiB
    ObjectId tree = raw.tree(entry("app.yaml", FileMode.REGULAR_FILE, raw.blob("a: 1\n")));
    ObjectId small = raw.commit(tree, "small", "refs/heads/small");
    ObjectId tag = raw.tag("v1", small, huge);
    ObjectId big = raw.commit(tree, huge, "refs/heads/main");
    Revision fetched = fetched(); // fetched at JGit's own threshold (50 MiB): read whole there
    Path signers = java.nio.file.Files.writeString(tmp.resolve("allowed_signers"), "");
    WindowCacheConfig defaults = new WindowCacheConfig();
    WindowCacheConfig low = new WindowCacheConfig();
    low.setStreamFileThreshold(1024);
    low.install();
    try {
      try (GitSource source = source().ref(big.name()).build()) {
        String latest = assertThrows(SourceException.class, source::latest).getMessage();
        assertTrue(latest.endsWith("(ref " + big.name() + "): the commit " + big.name() + " is " + size(big) + " bytes,"
            + " more than JGit reads of a commit or an annotated tag (5242880 bytes once past its stream threshold,"
            + " core.streamFileThreshold): deploy a commit whose message and tags are shorter"), latest);
        String fetch = assertThrows(SourceException.class, () -> source.fetch(fetched)).getMessage();
        assertTrue(fetch.contains("(ref main): the commit " + big.name() + " is " + size(big) + " bytes"), fetch);
      }
      try (GitSource source = source().ref(tag.name()).build()) {
        String e = assertThrows(SourceException.class, source::latest).getMessage();
        assertTrue(e.contains("): the annotated tag " + tag.name() + " is " + size(tag) + " bytes, more than"), e);
      }
      try (GitSource source = source().ref(small.name()).verify(Verification.ssh(signers)).build()) {
        String e = assertThrows(SourceException.class, source::latest).getMessage();
        assertTrue(e.contains("): the annotated tag " + tag.name() + " is " + size(tag) + " bytes, more than"), e);
      }
    } finally {
      defaults.install();
    }
  }
}
