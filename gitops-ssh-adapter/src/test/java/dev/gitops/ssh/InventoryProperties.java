package dev.gitops.ssh;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.gitops.model.FileMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Laws of the inventory and its journal: replay, folding and crash-truncated journals. */
class InventoryProperties {
  private record Op(String op, String path, String digest) {
    static Op of(int code) {
      String op = switch (code % 3) {
        case 0 -> "intent";
        case 1 -> "applied";
        default -> "deleted";
      };
      // the path from code / 3 alone, so that every kind of op meets every other on one path
      return new Op(op, "dir/p" + (code / 3 % 6) + (code / 18 % 2 == 0 ? " é" : ""), "sha256:" + code);
    }

    byte[] line() {
      return Inventory.line(op, path, op.equals("applied") ? digest : "",
          op.equals("deleted") ? null : FileMode.REGULAR);
    }
  }

  private static Map<String, String> model(List<Op> ops) {
    Map<String, String> m = new TreeMap<>();
    for (Op o : ops) {
      switch (o.op()) {
        case "intent" -> m.putIfAbsent(o.path(), "");
        case "applied" -> m.put(o.path(), o.digest());
        default -> m.remove(o.path());
      }
    }
    return m;
  }

  private static byte[] journal(List<Op> ops) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ops.forEach(o -> out.writeBytes(o.line()));
    return out.toByteArray();
  }

  private static Map<String, String> digests(Inventory inv) {
    Map<String, String> m = new TreeMap<>();
    inv.files().forEach((p, e) -> m.put(p, e.digest()));
    return m;
  }

  private static Inventory parse(byte[] inventory, byte[] journal) {
    try {
      return Inventory.parse(inventory, journal);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Op> ops(List<Integer> codes) {
    return codes.stream().map(Op::of).toList();
  }

  @Test
  void replayingTheJournalGivesWhatWasRecorded() {
    qt().withExamples(1000).forAll(lists().of(integers().between(0, 200)).ofSizeBetween(0, 25))
        .check(codes -> digests(parse(null, journal(ops(codes)))).equals(model(ops(codes))));
  }

  @Test
  void foldingTheJournalIntoTheInventoryAtAnyPointChangesNothing() {
    qt().withExamples(1000).forAll(lists().of(integers().between(0, 200)).ofSizeBetween(0, 25),
        integers().between(0, 25)).check((codes, cut) -> {
          List<Op> all = ops(codes);
          int at = Math.min(cut, all.size());
          byte[] folded = parse(null, journal(all.subList(0, at))).toJson("web");
          return digests(parse(folded, journal(all.subList(at, all.size())))).equals(model(all));
        });
  }

  /**
   * A fold killed after the inventory's rename and before the journal's delete leaves both: the
   * journal then replays onto an inventory that already holds it, and changes nothing.
   */
  @Test
  void aFoldInterruptedBeforeTheJournalIsDeletedChangesNothing() {
    qt().withExamples(1000).forAll(lists().of(integers().between(0, 200)).ofSizeBetween(0, 25),
        integers().between(0, 25)).check((codes, cut) -> {
          List<Op> all = ops(codes);
          int at = Math.min(cut, all.size());
          byte[] before = parse(null, journal(all.subList(0, at))).toJson("web");
          byte[] rest = journal(all.subList(at, all.size()));
          byte[] folded = parse(before, rest).toJson("web");
          return digests(parse(folded, rest)).equals(model(all));
        });
  }

  @Test
  void aJournalCutShortByACrashKeepsEveryWholeLineAndLaterAppends() {
    qt().withExamples(1000).forAll(lists().of(integers().between(0, 200)).ofSizeBetween(1, 25),
        integers().between(2, 60), integers().between(0, 200)).check((codes, chop, next) -> {
          List<Op> all = ops(codes);
          byte[] whole = journal(all);
          byte[] last = all.get(all.size() - 1).line();
          byte[] cut = Arrays.copyOf(whole, whole.length - Math.min(chop, last.length - 1));
          ByteArrayOutputStream after = new ByteArrayOutputStream();
          after.writeBytes(cut);
          after.write('\n'); // what every append starts with
          after.writeBytes(Op.of(next).line());
          List<Op> expected = new java.util.ArrayList<>(all.subList(0, all.size() - 1));
          expected.add(Op.of(next));
          return digests(parse(null, cut)).equals(model(all.subList(0, all.size() - 1)))
              && digests(parse(null, after.toByteArray())).equals(model(expected));
        });
  }
}
