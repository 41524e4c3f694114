package dev.gitops.plan;

import dev.gitops.diff.DiffOptions;
import dev.gitops.internal.diff.SecretValues;
import dev.gitops.internal.plan.PlanJsonReader;
import dev.gitops.internal.plan.PlanJsonWriter;
import dev.gitops.internal.plan.PlanSecrets;
import dev.gitops.model.ResourceId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What a reconcile will do: ordered {@link Wave}s of {@link Action}s, made by {@link Planner} from a
 * desired and an actual state. A value: it can be rendered for review, serialised to JSON, asserted
 * in a unit test ({@code dev.gitops.testing.PlanAssert}) and applied later — the applier refuses the
 * steps whose resource moved since.
 *
 * <p>A plan carries the diff options it was made with, so that it shows itself safely:
 * {@link #render()} and {@link #toJson()} take no arguments and mask every value those options mark
 * sensitive (and a Kubernetes Secret's values, always). The options are how the plan shows itself,
 * not what it does: they take no part in {@link #equals} — a plan read back from JSON equals the one
 * written.
 *
 * @param owner the reconciler the plan was made for
 * @param revision the desired state's revision id, {@code ""} when unknown
 * @param waves the steps, in order
 * @param fingerprint digest over the plan's inputs as far as they matter for its steps: equal for two
 *     plans that would do the same thing to the same actual state
 * @param diffOptions the diff options the plan was made with: its sensitive paths are masked, its
 *     ignored paths left out of the diffs and its lists matched by their merge keys when it renders
 */
public record Plan(String owner, String revision, List<Wave> waves, String fingerprint,
                   DiffOptions diffOptions) {
  /**
   * Validates and copies.
   *
   * @param owner the reconciler the plan was made for; not null
   * @param revision the desired state's revision id, {@code ""} when unknown; not null
   * @param waves the steps, in order; copied
   * @param fingerprint digest over the plan's inputs; not null
   * @param diffOptions how the plan shows itself; not null
   */
  public Plan {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(revision, "revision");
    waves = List.copyOf(waves);
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(diffOptions, "diffOptions");
  }

  /**
   * A plan made with {@link DiffOptions#defaults()} (hand-made plans, tests).
   *
   * @param owner the reconciler the plan is for; not null
   * @param revision the desired state's revision id, {@code ""} when unknown
   * @param waves the steps, in order; copied
   * @param fingerprint digest over the plan's inputs; any text for a hand-made plan
   */
  public Plan(String owner, String revision, List<Wave> waves, String fingerprint) {
    this(owner, revision, waves, fingerprint, DiffOptions.defaults());
  }

  /** {@return every step, wave by wave, no-ops included; unmodifiable} */
  public List<Action> actions() {
    return waves.stream().flatMap(w -> w.actions().stream()).toList();
  }

  /** {@return the steps that change something (no no-ops), wave by wave} */
  public List<Action> changes() {
    return actions().stream().filter(a -> a.kind() != Action.Kind.NOOP).toList();
  }

  /**
   * Finds the step for one resource.
   *
   * @param id the resource, or a handler's id for its run step
   * @return the step for {@code id}, a no-op included; empty when the plan has none
   */
  public Optional<Action> action(ResourceId id) {
    return actions().stream().filter(a -> a.id().equals(id)).findFirst();
  }

  /** {@return true when no step changes anything (every step a no-op, or none)} */
  public boolean isEmpty() {
    return waves.stream().allMatch(Wave::isEmpty);
  }

  /** {@return how many steps of each kind, every kind present (with {@code 0} when none)} */
  public Map<Action.Kind, Integer> counts() {
    Map<Action.Kind, Integer> counts = new EnumMap<>(Action.Kind.class);
    for (Action.Kind k : Action.Kind.values()) {
      counts.put(k, 0);
    }
    for (Wave w : waves) {
      for (Action a : w.actions()) {
        counts.merge(a.kind(), 1, Integer::sum);
      }
    }
    return counts;
  }

  /**
   * One line: {@code Plan: 2 to create, 1 to update, 1 to delete, 0 to adopt.} — with
   * {@code , 1 handler to run} before the period when handlers are triggered.
   *
   * @return the summary line, never values
   */
  public String summary() {
    Map<Action.Kind, Integer> c = counts();
    int runs = c.get(Action.Kind.RUN);
    return "Plan: " + c.get(Action.Kind.CREATE) + " to create, " + c.get(Action.Kind.UPDATE)
        + " to update, " + c.get(Action.Kind.DELETE) + " to delete, " + c.get(Action.Kind.ADOPT)
        + " to adopt" + (runs == 0 ? "" : ", " + runs + (runs == 1 ? " handler" : " handlers") + " to run")
        + ".";
  }

  /**
   * This plan with another revision id (the fingerprint does not cover the revision, so it stays).
   *
   * @param newRevision the revision id to record; not null
   * @return a copy with the same steps, fingerprint and diff options
   */
  public Plan withRevision(String newRevision) {
    return new Plan(owner, newRevision, waves, fingerprint, diffOptions);
  }

  /**
   * The plan for review: the {@link #summary()}, then wave by wave every step that changes
   * something — sign, word and id — with a unified diff under each update and adoption and the
   * triggering resources of each handler run. Rendered with the plan's {@link #diffOptions()}:
   * sensitive values (and a Kubernetes Secret's) masked, ignored paths left out, lists matched by
   * their merge keys. Same plan, same text.
   *
   * @return the text, lines ending in {@code \n}; safe to print and log
   */
  public String render() {
    return PlanText.render(this, diffOptions);
  }

  /**
   * The plan as JSON, {@code "format_version": 1}: keys sorted, two-space indent, {@code \n} line
   * ends, so equal plans give byte-identical text. Desired contents are included (files as base64
   * with their mode) so a saved plan can be applied later — except values at sensitive paths (every
   * path the plan's {@link #diffOptions()} mark sensitive, every Kubernetes Secret's
   * {@code /data/*}, {@code /stringData/*} and kubectl's last-applied annotation, which holds them
   * too, and the path of every change the differ marked
   * sensitive, in the diff and in the desired content), which become
   * {@code {"redacted":"sha256:..."}} markers (the digest covers id, path and value, so equal values
   * compare equal without being readable). A plan read back with markers
   * {@link #isRedacted() is redacted}. The diff options themselves are not written.
   *
   * @return the JSON text; safe to store (no sensitive value in clear)
   */
  public String toJson() {
    return new PlanJsonWriter(SecretValues.with(diffOptions.sensitive())).write(this);
  }

  /**
   * Reads a plan written by {@link #toJson()}, with {@link DiffOptions#defaults()};
   * {@code fromJson(p.toJson()).equals(p)} for every plan without sensitive values.
   *
   * @param json the plan's JSON
   * @return the plan
   *
   * @throws PlanFormatException when {@code json} is not a plan of a format version this library reads
   */
  public static Plan fromJson(String json) {
    return PlanJsonReader.read(json);
  }

  /**
   * Reads a plan written by {@link #toJson()}, to render and serialise with {@code options} (the
   * target's, {@code target.planDefaults().diff()}). Values the writer redacted stay redacted.
   *
   * @param json the plan's JSON
   * @param options the diff options to show it with
   * @return the plan
   *
   * @throws PlanFormatException when {@code json} is not a plan of a format version this library reads
   */
  public static Plan fromJson(String json, DiffOptions options) {
    Plan read = PlanJsonReader.read(json);
    return new Plan(read.owner, read.revision, read.waves, read.fingerprint, options);
  }

  /**
   * True when some value of this plan is a redaction marker: a plan read back from JSON that held
   * sensitive values. Such a plan can be reviewed, rendered and compared (its {@link #fingerprint()}
   * is the original's) but must not be applied: re-plan from its source revision instead, and
   * compare fingerprints to check that the fresh plan does the same thing.
   *
   * @return true when some value was redacted; always false for a plan made by a {@link Planner}
   */
  public boolean isRedacted() {
    return Redactions.any(this);
  }

  /**
   * {@code text} with every value this plan keeps secret replaced by {@code ***}: each Kubernetes
   * Secret's {@code data} (and what its base64 decodes to) and {@code stringData} (and its base64, as
   * the server stores and quotes it), and both sides of every change marked sensitive (values under
   * four characters are not searched for). For words
   * about this plan's steps that may quote them — an API server's or an admission webhook's answer
   * to a write (a 422 names the value it refused), a host's error — before they are printed or kept.
   *
   * @param text any text; null gives {@code "null"}
   * @return the text, masked
   */
  public String masked(String text) {
    return masker().apply(text);
  }

  /**
   * {@link #masked} for many texts of this plan: its secret values are found once, here (each
   * {@code masked} call walks the whole plan for them), and each text is then only searched.
   *
   * @return a function from any text (null gives {@code "null"}) to the text, masked
   */
  public UnaryOperator<String> masker() {
    List<String> values = PlanSecrets.values(this);
    return text -> PlanSecrets.mask(values, String.valueOf(text));
  }

  /** Equal owner, revision, waves and fingerprint; the diff options take no part. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Plan p && owner.equals(p.owner) && revision.equals(p.revision)
        && waves.equals(p.waves) && fingerprint.equals(p.fingerprint);
  }

  /** Over owner, revision, waves and fingerprint. */
  @Override
  public int hashCode() {
    return Objects.hash(owner, revision, waves, fingerprint);
  }

  /** The summary line; never contents. */
  @Override
  public String toString() {
    return summary();
  }
}
