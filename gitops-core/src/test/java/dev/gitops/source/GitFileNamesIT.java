package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Content;
import dev.gitops.model.Snapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.FileMode;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File names and sizes a Git tree can hold that a target could get wrong (issue 19 item 11). */
class GitFileNamesIT {
  @TempDir Path tmp;
  @AutoClose private RawTrees raw;

  @BeforeEach
  void initRemote() {
    raw = RawTrees.init(tmp.resolve("remote"));
  }

  /** Commits a tree of {@code files} (raw names, in Git's order) on main, as any Git client can. */
  private void commitRaw(Map<byte[], byte[]> files) throws Exception {
    List<RawTrees.Entry> entries = new ArrayList<>();
    for (Map.Entry<byte[], byte[]> e : files.entrySet()) {
      entries.add(new RawTrees.Entry(e.getKey(), FileMode.REGULAR_FILE, raw.blob(e.getValue())));
    }
    raw.commit(raw.tree(entries.toArray(RawTrees.Entry[]::new)));
  }

  private static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private GitSource source(String... exclude) {
    GitSource.Builder b = raw.source(tmp.resolve("cache"));
    for (String x : exclude) {
      b.exclude(x);
    }
    return b.build();
  }

  @Test
  void aNameThatIsNotUtf8IsRefusedNamedWithItsBadBytesNotRenamed() throws Exception {
    Map<byte[], byte[]> files = new java.util.LinkedHashMap<>();
    files.put(latin1("caf\u00e9.conf"), latin1("latin-1 name\n")); // 0xe9 alone: not UTF-8
    files.put("ok.conf".getBytes(StandardCharsets.UTF_8), latin1("ok\n"));
    commitRaw(files);
    try (GitSource source = source()) {
      SourceException e = assertThrows(SourceException.class, () -> source.fetch(source.latest()));
      assertTrue(e.getMessage().contains("'caf\\xe9.conf' has a name that is not UTF-8"), e.getMessage());
    }
    try (GitSource source = source("caf*.conf")) {
      assertEquals(Set.of("ok.conf"), source.fetch(source.latest()).files().keySet(), "excluded: no error");
    }
  }

  @Test
  void manyNamesThatAreNotUtf8AreCountedPastTheFirstTen() throws Exception {
    Map<byte[], byte[]> files = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 12; i++) {
      files.put(latin1("f" + (char) ('a' + i) + "\u00e9.conf"), latin1("x\n"));
    }
    commitRaw(files);
    try (GitSource source = source()) {
      SourceException e = assertThrows(SourceException.class, () -> source.fetch(source.latest()));
      assertTrue(e.getMessage().contains("'fa\\xe9.conf', "), e.getMessage());
      assertTrue(e.getMessage().contains("'fj\\xe9.conf' and 2 more have names that are not UTF-8"), e.getMessage());
      assertTrue(!e.getMessage().contains("fk"), "the eleventh is counted, not named: " + e.getMessage());
    }
  }

  @Test
  void aNameWithControlCharactersIsReadAsItIsAndPrintedEscaped() throws Exception {
    String evil = "a\u001b[2Jb\nc.conf";
    commitRaw(Map.of(evil.getBytes(StandardCharsets.UTF_8), latin1("x\n")));
    try (GitSource source = source()) {
      Snapshot s = source.fetch(source.latest());
      assertEquals(Set.of(evil), s.files().keySet(), "kept byte for byte");
      String printed = dev.gitops.model.ResourceId.file(evil).toString();
      assertEquals("File//a\\x1b[2Jb\\nc.conf", printed);
      assertFalse(printed.chars().anyMatch(c -> c < 0x20));
    }
  }

  @Test
  void aFileAboveJgitsStreamingThresholdIsRead() throws Exception {
    byte[] big = new byte[51 * 1024 * 1024]; // JGit's default core.streamFileThreshold is 50 MiB
    big[big.length - 1] = 'x';
    commitRaw(Map.of("big.bin".getBytes(StandardCharsets.UTF_8), big));
    try (GitSource source = source()) {
      Content.Bytes read = source.fetch(source.latest()).file("big.bin");
      assertArrayEquals(big, read.data());
    }
  }
}
