package dev.gitops.source;

import static dev.gitops.source.RawTrees.entry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Snapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile trees met while the {@code filter=} attributes of the selected files are read
 * ({@link CheckoutFilters#readFilters}): that walk reads only the trees the source reads, each judged
 * as the main walk judges it, and a {@code .gitattributes} only as Git's checkout reads one. Lines that
 * can set {@code filter} are matched against every selected file below their folder, so many lines and
 * many files could make each read spend minutes: Git bounds a line and a file's bytes, not the lines,
 * and the source refuses, naming the file, past bounds no real repository reaches ({@link FilterAttributes}).
 */
class GitHostileAttributesIT {
  /** A root {@code .gitattributes} that mentions {@code filter}, so that the attributes are walked. */
  private static final String LFS_BINS = "*.bin filter=lfs\n";
  /** A line that can set {@code filter} and matches none of the files {@link #commitIn} writes. */
  private static final String STARS = "*a*a*a*b filter=x\n";
  /** The folder {@link #commitIn} writes: a tab in its name, escaped in errors. */
  private static final String FOLDER = "conf\tig";

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

  /**
   * A tree no Git writes (a name holding a NUL, an entry cut short, one holding a {@code /}, one a
   * host folds into {@code .git}) inside a folder the source excludes is never read, whether or not a
   * {@code .gitattributes} mentions a filter.
   */
  @Test
  void aHostileTreeTheSourceExcludesIsNotWalkedForAttributes() throws Exception {
    ObjectId y = raw.blob("y\n");
    ObjectId[] hostile = {
        raw.tree(entry("x\0../../etc", FileMode.REGULAR_FILE, y), entry("y", FileMode.REGULAR_FILE, y)),
        raw.inserter().insert(Constants.OBJ_TREE, "100644 cut\0short".getBytes(StandardCharsets.UTF_8)),
        raw.tree(entry("a/b", FileMode.REGULAR_FILE, y)),
        raw.tree(entry(".GIT", FileMode.TREE, raw.tree(entry("hooks", FileMode.REGULAR_FILE, y))))};
    for (ObjectId skipped : hostile) {
      for (String attributes : new String[] {"*.bin text\n", LFS_BINS}) {
        ObjectId commit = raw.commit(raw.tree(entry(".gitattributes", FileMode.REGULAR_FILE, raw.blob(attributes)),
            entry("deploy", FileMode.TREE, raw.tree(entry("ok.yaml", FileMode.REGULAR_FILE, raw.blob("a: 1\n")),
                entry("skip", FileMode.TREE, raw.tree(entry("in", FileMode.TREE, skipped)))))));
        try (RevWalk walk = new RevWalk(raw.repository())) { // read where it is: a fetch may refuse the pack
          assertEquals(Set.of("ok.yaml"), TreeReader.read(raw.repository(), walk.parseCommit(commit), "deploy",
              Globs.of(List.of(), List.of("skip/")), "where", BlobDigests.inMemory(), new TreeIndex(), ReadLimits.DEFAULTS)
              .keySet(), attributes);
        }
      }
    }
  }

  /**
   * A {@code .gitattributes} that is no blob, a folder or a submodule, holds no attributes (Git's
   * checkout reads one from the index, where only a blob can be: attr.c {@code read_attr_from_index},
   * {@code read_blob_data_from_index}, which reads nothing but an {@code OBJ_BLOB}).
   */
  @Test
  void aGitattributesThatIsNoBlobHoldsNoAttributes() throws Exception {
    ObjectId elsewhere = ObjectId.fromString("0123456789abcdef0123456789abcdef01234567");
    ObjectId folder = raw.tree(entry("x", FileMode.REGULAR_FILE, raw.blob("*.yaml filter=vault\n")));
    FileMode[] modes = {FileMode.GITLINK, FileMode.TREE};
    ObjectId[] ids = {elsewhere, folder};
    for (int i = 0; i < modes.length; i++) {
      raw.commit(raw.tree(entry(".gitattributes", FileMode.REGULAR_FILE, raw.blob(LFS_BINS)),
          entry("deploy", FileMode.TREE, raw.tree(entry(".gitattributes", modes[i], ids[i]),
              entry("ok.yaml", FileMode.REGULAR_FILE, raw.blob("a: 1\n"))))));
      assertEquals(Set.of("ok.yaml"), read(b -> b.path("deploy").exclude(".gitattributes")).files().keySet(),
          modes[i].toString());
    }
  }

  /**
   * A symbolic link named {@code .gitattributes} is a blob in Git's index, and Git's checkout reads its
   * bytes (the link's target) as attributes (attr.c {@code read_attr_from_index} does not look at the
   * mode; only a working tree's file is opened {@code O_NOFOLLOW}): the filter it names is refused as
   * any other, even when no other {@code .gitattributes} mentions one.
   */
  @Test
  void aSymbolicLinkNamedGitattributesIsReadAsGitsCheckoutReadsIt() throws Exception {
    raw.commit(raw.tree(entry("deploy", FileMode.TREE, raw.tree(
        entry(".gitattributes", FileMode.SYMLINK, raw.blob("*.yaml filter=vault\n")),
        entry("ok.yaml", FileMode.REGULAR_FILE, raw.blob("a: 1\n"))))));
    String m = assertThrows(SourceException.class, () -> read(b -> b.path("deploy").exclude(".gitattributes")))
        .getMessage();
    assertTrue(m.contains(": 'deploy/ok.yaml' (filter=vault) has a .gitattributes filter driver"), m);
  }

  /**
   * A pattern of many {@code *} costs time bounded by its length times the name's, not exponential in
   * its stars: JGit's attribute matcher took about a minute for this pattern on a name of 200 bytes
   * (and grows past any bound with more stars or a longer name; Git allows names over 4 KB), while Git's
   * wildmatch answers at once. The pattern still decides: the name it matches is refused for its filter.
   */
  @Test
  void aPatternOfManyStarsIsMatchedInBoundedTime() throws Exception {
    String name = "a".repeat(200) + ".yaml";
    String matched = "a".repeat(200) + ".b";
    raw.commit(raw.tree(entry(".gitattributes", FileMode.REGULAR_FILE, raw.blob("*a*a*a*a*a*b filter=x\n")),
        entry(name, FileMode.REGULAR_FILE, raw.blob("a: 1\n"))));
    assertEquals(Set.of(name), assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> read(b -> b.exclude(".gitattributes")).files().keySet()));
    raw.commit(raw.tree(entry(".gitattributes", FileMode.REGULAR_FILE, raw.blob("*a*a*a*a*a*b filter=x\n")),
        entry(name, FileMode.REGULAR_FILE, raw.blob("a: 1\n")), entry(matched, FileMode.REGULAR_FILE, raw.blob("b\n"))));
    String m = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(SourceException.class,
        () -> read(b -> b.exclude(".gitattributes"))).getMessage());
    assertTrue(m.contains("'" + matched + "' (filter=x) has a .gitattributes filter driver"), m);
  }

  /**
   * The walk is given a known {@code .gitattributes} only below the bound (Git's is 100 MiB, shown here
   * with a bound of 8 bytes), any other object it asks for as a blob as empty: no attributes.
   */
  @Test
  void attributesAreReadOnlyFromKnownBlobsBelowTheBound() throws Exception {
    ObjectId small = raw.blob("*.x -a\n");
    ObjectId large = raw.blob("*.yaml filter=vault\n");
    ObjectId tree = raw.tree(entry("x", FileMode.REGULAR_FILE, small));
    raw.commit(tree);
    try (ObjectReader reader = raw.repository().newObjectReader();
        ObjectReader blobs = new AttributeBlobs(new CheckedTrees(reader), Set.of(small, large), 8)) {
      assertArrayEquals("*.x -a\n".getBytes(StandardCharsets.UTF_8), blobs.open(small, Constants.OBJ_BLOB).getBytes());
      assertEquals(0, blobs.open(large, Constants.OBJ_BLOB).getSize(), "8 bytes or more");
      assertEquals(0, blobs.open(raw.blob("unknown"), Constants.OBJ_BLOB).getSize(), "not a .gitattributes found");
      assertEquals(0, blobs.open(tree, Constants.OBJ_BLOB).getSize(), "a tree asked for as a blob");
      assertEquals(Constants.OBJ_TREE, blobs.open(tree, Constants.OBJ_TREE).getType());
    }
  }

  /** Commits {@code files} files {@code f<i>.yaml} and a {@code .gitattributes} of {@code attributes} in {@link #FOLDER}. */
  private void commitIn(String attributes, int files) throws Exception {
    RawTrees.Entry[] entries = new RawTrees.Entry[files + 1];
    ObjectId yaml = raw.blob("a: 1\n");
    for (int i = 0; i < files; i++) {
      entries[i] = entry("f" + i + ".yaml", FileMode.REGULAR_FILE, yaml);
    }
    entries[files] = entry(".gitattributes", FileMode.REGULAR_FILE, raw.blob(attributes));
    raw.commit(raw.tree(entry(FOLDER, FileMode.TREE, raw.tree(entries))));
  }

  /** Fails unless a read of the commit is refused within 30 s with an error holding each of {@code parts}. */
  private void assertRefused(String... parts) {
    String m = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(SourceException.class,
        () -> read(b -> b.exclude("**/.gitattributes")))).getMessage();
    for (String part : parts) {
      assertTrue(m.contains(part), m);
    }
  }

  /** 1,000,000 lines (19 MB, a fifth of Git's bound on a file) against 1,000 files: a billion matches. */
  @Test
  void aMillionLinesThatCanSetFilterAreRefusedNamingTheFile() throws Exception {
    commitIn(STARS.repeat(1_000_000), 1_000);
    assertRefused(": 'conf\\tig/.gitattributes' holds 1000000 lines, which bring the .gitattributes read for the"
        + " selected files past 100000 lines");
  }

  /** 90,000 lines, under the bound on lines, against 2,000 files: 180 million matches, refused before the first. */
  @Test
  void manyLinesAgainstManyFilesAreRefusedBeforeAnyMatch() throws Exception {
    commitIn(STARS.repeat(90_000), 2_000);
    assertRefused("matching the .gitattributes lines that can set filter against the 2000 selected files would take"
        + " 26560800000 steps", "past the bound of 1000000000, 26560800000 of them for the lines of"
        + " 'conf\\tig/.gitattributes'");
  }

  /** A large Git LFS set-up, 500 lines, against 2,000 files is read, and a line that matches still decides. */
  @Test
  void aLargeRealSetUpIsReadAndStillDecides() throws Exception {
    StringBuilder lfs = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      lfs.append("*.ext").append(i).append(" filter=lfs diff=lfs merge=lfs -text\n");
    }
    commitIn(lfs.toString(), 2_000);
    assertEquals(2_000, assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> read(b -> b.exclude("**/.gitattributes"))).files().size());
    commitIn(lfs + "f7.yaml filter=vault\n", 2_000);
    assertRefused("'conf\\tig/f7.yaml' (filter=vault) has a .gitattributes filter driver");
  }

  /**
   * A line naming a {@code builtin_*} attribute is read by Git before 2.43 (2.39.5 here) and skipped by Git
   * from 2.43 (attr.c {@code attr_name_reserved}): a filter either Git gives is refused.
   */
  @Test
  void aLineNamingABuiltinAttributeCountsAsEitherGitReadsIt() throws Exception {
    commitIn("*.yaml filter=vault\nf1.yaml -filter builtin_objectmode\n", 2); // Git from 2.43: f1 has vault
    assertRefused("'conf\\tig/f0.yaml' (filter=vault), 'conf\\tig/f1.yaml' (filter=vault) have");
    commitIn("f1.yaml builtin_x=1 filter=old\n", 2); // Git before 2.43: f1 has old
    assertRefused(": 'conf\\tig/f1.yaml' (filter=old) has a .gitattributes filter driver");
    commitIn("f1.yaml -filter -builtin_x\n", 2); // the newer skips the line, but f1 has no filter either way
    assertEquals(2, read(b -> b.exclude("**/.gitattributes")).files().size());
  }
}
