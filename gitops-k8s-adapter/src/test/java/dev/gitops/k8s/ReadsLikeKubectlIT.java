package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;

/**
 * The loader reads a manifest file to the objects {@code kubectl apply -f} would send, or refuses
 * it with a problem: the oracle is the real kubectl, run once over every case. A case kubectl
 * refuses we refuse too; a case kubectl reads we read to the same JSON, unless the case says we may
 * refuse it because kubectl would send other than what the file seems to say (a key {@code on:}
 * sent as {@code "true"}, a ConfigMap value {@code y} sent as {@code true}).
 */
class ReadsLikeKubectlIT {
  @TempDir Path dir;

  @BeforeAll
  static void kubectl() {
    KubectlReads.assumeKubectl();
  }

  /**
   * A file to read both ways, and when we may refuse it though kubectl reads it: {@code mayRefuse}
   * says why, null when never, {@code refusable} when, given what kubectl reads for the object named
   * {@code id} (a missing node when none).
   */
  record Case(String id, byte[] data, String mayRefuse, Predicate<JsonNode> refusable) {
    String text() {
      return new String(data, StandardCharsets.UTF_8);
    }
  }

  @Test
  void everyCaseReadsAsKubectlReadsIt() throws Exception {
    List<Case> cases = KubectlCases.all();
    List<String> divergences = divergences(dir, cases);
    assertEquals("", String.join("\n", divergences), divergences.size() + " of " + cases.size() + " cases diverge");
  }

  /**
   * Scalars of characters that matter to YAML 1.1's typing (digits, signs, points, underscores,
   * colons, base prefixes, the letters of its booleans, quotes, indicators, a byte order mark), and
   * longer ones of number characters only, each as a custom resource's value and key and a
   * ConfigMap's value: 3 runs of kubectl over 600 files.
   */
  @Test
  void generatedScalarsReadAsKubectlReadsThem() {
    AtomicInteger run = new AtomicInteger();
    Gen<String> scalar = of(ALPHABET, 7).mix(of(NUMBER, 22));
    qt().withExamples(3).withShrinkCycles(20).forAll(lists().of(scalar).ofSize(200)).checkAssert(scalars -> {
      try {
        List<String> divergences = divergences(Files.createDirectory(dir.resolve("run" + run.incrementAndGet())),
            KubectlCases.generated(scalars));
        assertEquals("", String.join("\n", divergences));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * Refusals where kubectl reads on, each with a message that says what to write: SnakeYAML's
   * scanner is stricter than go-yaml's about a '#' right after '|' or '>' (go-yaml takes it as a
   * comment), a tag with characters YAML's tag grammar leaves out ({@code !e@!}) and an anchor
   * followed by '?' ({@code &a?b}, go-yaml's anchor a on ?b), which the loader refuses as any anchor
   * name go-yaml would refuse or cut short; and YAML readers disagree on {@code [a:]} (go-yaml's text
   * "a:", SnakeYAML's key a), which the loader refuses.
   */
  private static final List<String> STRICTER = List.of("only '+', '-' or an indentation digit may follow, not '#'",
      "while scanning a tag", "an anchor '&' without a name", "or ends the name before the first other character",
      "in a flow collection is the key");

  /**
   * A manifest of every kind of node (flow and block collections, plain, quoted and block scalars,
   * anchor, alias, tag, comments) with a tab put before each character of its spec, and each of its
   * spaces made a tab: kubectl reads a tab as white space in some places, as text in others and
   * refuses it in the rest; we read each file as it does, or refuse it where it does.
   */
  @Test
  void aTabAnywhereReadsAsKubectlReadsIt() throws Exception {
    List<Case> cases = KubectlCases.tabbed();
    List<String> divergences = divergences(dir, cases);
    assertEquals("", String.join("\n", divergences), divergences.size() + " of " + cases.size() + " cases diverge");
  }

  /** Strings of 1 to {@code longest} characters of {@code alphabet}. */
  private static Gen<String> of(String alphabet, int longest) {
    return lists().of(integers().between(0, alphabet.length() - 1)).ofSizeBetween(1, longest)
        .map(picks -> picks.stream().map(i -> String.valueOf(alphabet.charAt(i))).collect(Collectors.joining()));
  }

  private static final String NUMBER = "0123456789012345678901_.+-eExXoObBaAfF:";

  private static final String ALPHABET = "0000111789__..++--::eExXoObByYnNtTfFlu~~ \t#,'\"!&*%@[]{}|>?\u00E9\uFEFF";

  /** Each case kubectl and we read differently, with the text and how. */
  private static List<String> divergences(Path dir, List<Case> cases) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    cases.forEach(c -> files.put(c.id(), c.data()));
    Map<String, KubectlReads.Read> theirs = KubectlReads.kubectl(dir, files);
    List<String> divergences = new ArrayList<>();
    for (Case c : cases) {
      String d = divergence(c, theirs.get(c.id()), KubectlReads.ours(c.id(), c.data()));
      if (d != null) {
        divergences.add(c.id() + " " + escaped(c.text()) + "\n  " + d);
      }
    }
    return divergences;
  }

  /** How {@code ours} diverges from {@code theirs} for {@code c}, null when it does not. */
  static String divergence(Case c, KubectlReads.Read theirs, KubectlReads.Read ours) {
    if (theirs.refused()) {
      return ours.refused() ? null : "kubectl refuses (" + theirs.refusal() + "), we read " + KubectlReads.show(ours);
    }
    if (ours.refused() && STRICTER.stream().anyMatch(ours.refusal()::contains)) {
      return null;
    }
    if (ours.refused()) {
      JsonNode object = theirs.objects().getOrDefault(c.id(), MissingNode.getInstance());
      return c.mayRefuse() != null && c.refusable().test(object) ? null
          : "we refuse (" + ours.refusal() + "), kubectl reads " + KubectlReads.show(theirs);
    }
    if (!theirs.objects().keySet().equals(ours.objects().keySet())) {
      return "kubectl reads " + theirs.objects().keySet() + ", we read " + ours.objects().keySet();
    }
    List<String> diffs = new ArrayList<>();
    theirs.objects().forEach((name, o) -> KubectlReads.differences(o, ours.objects().get(name))
        .forEach(d -> diffs.add(name + d)));
    return diffs.isEmpty() ? null : "kubectl vs ours: " + String.join("; ", diffs);
  }

  static String escaped(String text) {
    StringBuilder b = new StringBuilder();
    text.codePoints().forEach(cp -> b.append(cp == '\n' ? "\\n" : cp < 0x20 || cp == 0x7f || cp >= 0x80 && cp < 0xa0
        || cp == 0xfeff || cp == 0x2028 || cp == 0x2029 ? String.format("\\u%04X", cp) : Character.toString(cp)));
    return b.length() > 300 ? b.substring(0, 300) + "..." : b.toString();
  }
}
