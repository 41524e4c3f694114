package dev.gitops.reconcile;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.apply.ApplyOptions;
import dev.gitops.model.Content;
import dev.gitops.model.Resource;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import dev.gitops.plan.Action;
import dev.gitops.source.Source;
import dev.gitops.target.ForwardingTarget;
import dev.gitops.target.InMemoryTarget;
import dev.gitops.target.Scope;
import dev.gitops.target.Target;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The law of the reconciler's memory of its last empty plan: over any sequence of commits (some
 * leaving the files as they were), hand edits, deletions and foreign objects on the target,
 * previews and reconciles, a reconciler over a target with state tokens answers exactly what a
 * reconciler over the same target without tokens (read and planned every time) answers, and
 * leaves the target in the same state.
 */
class ReconcilerMemoProperties {
  private static final String[] NAMES = {"a", "b", "c", "d"};
  private static final String[] COLORS = {"red", "green", "blue"};
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aReconcilerThatSkipsUnchangedInputsAnswersAsOneThatReadsAndPlansEveryTime() {
    qt().withExamples(1500).forAll(lists().of(integers().between(0, 1 << 14)).ofSizeBetween(1, 16))
        .checkAssert(ops -> {
          Commits source = new Commits();
          InMemoryTarget plain = InMemoryTarget.named("plain");
          InMemoryTarget memory = InMemoryTarget.named("memory");
          Tokens tokens = new Tokens(memory);
          Reconciler everyTime = reconciler(source, plain);
          Reconciler memoised = reconciler(source, tokens);
          List<String> log = new ArrayList<>();
          for (int op : ops) {
            String name = NAMES[(op >> 3) % NAMES.length];
            String color = COLORS[(op >> 5) % COLORS.length];
            switch (op % 8) {
              case 0 -> source.commit(op >> 3);
              case 1 -> tokens.drift(t -> t.put(configMap(name, color), "web"), plain);
              case 2 -> tokens.drift(t -> t.remove(Rig.cm(name)), plain);
              case 3 -> tokens.drift(t -> t.put(configMap(name, color), ""), plain);
              case 7 -> log.add(compare("plan", () -> everyTime.plan(null).toJson(),
                  () -> memoised.plan(null).toJson()));
              default -> log.add(compare("reconcile", () -> outcome(everyTime.reconcile(null)),
                  () -> outcome(memoised.reconcile(null))));
            }
          }
          if (!plain.snapshot().equals(memory.snapshot())) {
            throw new AssertionError("the targets differ after " + log + ":\n" + plain.snapshot().observed()
                + "\n" + memory.snapshot().observed());
          }
        });
  }

  static Reconciler reconciler(Source source, Target target) {
    return Reconciler.builder().name("web").source(source).loader(new JsonLoader()).target(target)
        .applyOptions(ApplyOptions.defaults().withParallelism(1).withRetry(1, Duration.ZERO, Duration.ZERO)
            .withHealthWait(Duration.ZERO, Duration.ZERO).withSleeper(d -> { }).withJitterSeed(1))
        .build();
  }

  /** Both answers, which must be equal: the plan and report, or the exception. */
  private static String compare(String what, java.util.function.Supplier<String> expected,
                                java.util.function.Supplier<String> actual) {
    String want = answer(expected);
    String got = answer(actual);
    if (!want.equals(got)) {
      throw new AssertionError(what + ": the memoised reconciler answered\n" + got + "\ninstead of\n" + want);
    }
    return what + " " + want.lines().findFirst().orElse("");
  }

  private static String answer(java.util.function.Supplier<String> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  private static String outcome(ReconcileResult result) {
    return result.report().summary().replaceAll(" in [0-9]+ ms[.]$", ".") + "\n" + result.plan().toJson();
  }

  private static Resource configMap(String name, String color) {
    try {
      return Resource.of(Rig.cm(name), Content.tree(JSON.readTree(Rig.configMap(name, color))));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A source of commits: each commit is a new revision id, its files chosen by bits (some commits
   * leave the files as they were); the content key is the files' digest, as a Git tree id is.
   */
  static final class Commits implements Source {
    private final Map<String, Snapshot> revisions = new HashMap<>();
    private Revision latest;

    Commits() {
      commit(0);
    }

    void commit(int bits) {
      Map<String, Content.Bytes> files = new TreeMap<>();
      for (int i = 0; i < NAMES.length; i++) {
        if ((bits & (1 << i)) != 0) {
          String json = Rig.configMap(NAMES[i], COLORS[(bits >> NAMES.length) % COLORS.length]);
          files.put(NAMES[i] + ".json", Content.bytes(json.getBytes(StandardCharsets.UTF_8), dev.gitops.model.FileMode.REGULAR));
        }
      }
      latest = Revision.of("c" + revisions.size());
      revisions.put(latest.id(), Snapshot.of(latest, files));
    }

    @Override
    public Revision latest() {
      return latest;
    }

    @Override
    public Snapshot fetch(Revision revision) {
      return revisions.get(revision.id());
    }

    @Override
    public String contentKey(Revision revision) {
      return revisions.get(revision.id()).digest();
    }
  }

  /**
   * A target with state tokens: a counter that every write and every hand edit moves. Hand edits go
   * through {@link #drift}, which makes the same edit on a second target.
   */
  static final class Tokens extends ForwardingTarget {
    private final InMemoryTarget memory;
    private long version;

    Tokens(InMemoryTarget memory) {
      super(memory);
      this.memory = memory;
    }

    synchronized void drift(java.util.function.Consumer<InMemoryTarget> edit, InMemoryTarget other) {
      edit.accept(memory);
      edit.accept(other);
      version++;
    }

    @Override
    public synchronized String applyWithDetail(Action action, String owner) {
      version++;
      return super.applyWithDetail(action, owner);
    }

    @Override
    public synchronized Optional<String> stateToken(Scope scope) {
      return Optional.of(Long.toString(version));
    }
  }
}
