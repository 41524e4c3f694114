package dev.gitops.ssh;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * {@link TargetPaths#beyond}'s short cut for ASCII paths (lengths counted, no encoder) gives what the
 * encoder gives: the same answer as windows-1252, which also writes ASCII one byte a character but is
 * measured the long way.
 */
class TargetPathsProperties {
  private static final Charset LONG_WAY = Charset.forName("windows-1252");

  @Test
  void anAsciiPathIsJudgedAsTheEncoderJudgesIt() {
    Gen<String> segment = lists().of(Generate.pick(List.of("a", "b", ".", "-", "conf", "x".repeat(9))))
        .ofSizeBetween(1, 4).map(l -> String.join("", l));
    Gen<String> path = lists().of(segment).ofSizeBetween(1, 4).map(l -> String.join("/", l));
    Gen<String> root = Generate.pick(List.of("/", "/srv/app", "/var/" + "w".repeat(20)));
    qt().withExamples(5_000).forAll(path, root, integers().between(1, 40), integers().between(2, 120))
        .check((p, r, name, whole) -> Objects.equals(
            TargetPaths.beyond(new HostLimits(name, whole, StandardCharsets.UTF_8), r, p),
            TargetPaths.beyond(new HostLimits(name, whole, LONG_WAY), r, p)));
  }
}
