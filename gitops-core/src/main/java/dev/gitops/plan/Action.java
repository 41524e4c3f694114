package dev.gitops.plan;

import dev.gitops.diff.ResourceDiff;
import dev.gitops.model.Handler;
import dev.gitops.model.Origin;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import java.util.List;
import java.util.Objects;

/**
 * One step of a {@link Plan}. A closed family; dispatch on {@link #kind()}.
 *
 * <p>Every step that writes carries a precondition, {@link #expected()}: what the target must still
 * hold when the step runs — {@link #ABSENT} for a create, the observed fingerprint (version or
 * content digest, see {@link dev.gitops.model.Observed#fingerprint()}) for updates, adoptions and
 * deletes. The applier re-reads and refuses steps whose resource moved since the plan.
 *
 * <p>Members are immutable records, safe to share between threads; their {@code toString()} never
 * prints file contents or Secret values.
 */
public sealed interface Action {
  /** Precondition of a create: the resource does not exist. */
  String ABSENT = "absent";

  /** Stable words used in logs, JSON and renderings. */
  enum Kind {
    /** Create a resource that does not exist ({@link Create}). */
    CREATE("create", "+"),
    /** Change an owned resource to the desired content ({@link Update}). */
    UPDATE("update", "~"),
    /** Delete (prune) an owned resource no longer desired ({@link Delete}). */
    DELETE("delete", "-"),
    /** Take ownership of an unowned resource and converge it ({@link Adopt}). */
    ADOPT("adopt", "&"),
    /** Nothing to do: actual already equals desired ({@link NoOp}). */
    NOOP("noop", "="),
    /** Run a handler because resources it watches changed ({@link Run}). */
    RUN("run", "!");

    private final String word;
    private final String sign;

    Kind(String word, String sign) {
      this.word = word;
      this.sign = sign;
    }

    /** {@return the stable word used in logs and JSON: {@code create}, {@code update}, ...} */
    public String word() {
      return word;
    }

    /** {@return the one-character sign used in rendered plans: one of {@code + ~ - & = !}} */
    public String sign() {
      return sign;
    }
  }

  /** {@return the resource this step is about; for a {@link Run}, the handler's id} */
  ResourceId id();

  /** {@return which member of the family this is} */
  Kind kind();

  /**
   * {@return the precondition (see the type's documentation): {@link #ABSENT}, a fingerprint, or
   * {@code ""} for steps that need none (no-ops, handler runs)}
   */
  String expected();

  /**
   * {@return where in the repository this step's desired resource was declared (for a rendered
   * resource, the file and line Kustomize or the renderer read it from), the handler's declaration
   * for a {@link Run}, {@link Origin#UNKNOWN} for deletes and no-ops, which carry no desired
   * resource}
   */
  default Origin origin() {
    return switch (kind()) {
      case CREATE -> ((Create) this).desired().origin();
      case UPDATE -> ((Update) this).desired().origin();
      case ADOPT -> ((Adopt) this).desired().origin();
      case RUN -> ((Run) this).handler().origin();
      case DELETE, NOOP -> Origin.UNKNOWN;
    };
  }

  /**
   * Create a resource that does not exist.
   *
   * @param desired what to create
   */
  record Create(Resource desired) implements Action {
    /**
     * Validates.
     *
     * @param desired what to create; not null
     */
    public Create {
      Objects.requireNonNull(desired, "desired");
    }

    @Override public ResourceId id() { return desired.id(); }
    @Override public Kind kind() { return Kind.CREATE; }
    @Override public String expected() { return ABSENT; }
  }

  /**
   * Change an owned resource to the desired content.
   *
   * @param desired the content to converge to
   * @param diff what differs
   * @param expected fingerprint of the actual resource the plan was made against
   */
  record Update(Resource desired, ResourceDiff diff, String expected) implements Action {
    /**
     * Validates.
     *
     * @param desired the content to converge to; not null
     * @param diff what differs; not null
     * @param expected fingerprint of the actual resource the plan was made against; not null
     */
    public Update {
      Objects.requireNonNull(desired, "desired");
      Objects.requireNonNull(diff, "diff");
      Objects.requireNonNull(expected, "expected");
    }

    @Override public ResourceId id() { return desired.id(); }
    @Override public Kind kind() { return Kind.UPDATE; }
  }

  /**
   * Delete (prune) a resource this reconciler owns and no longer desires.
   *
   * @param id the resource
   * @param expected fingerprint of the actual resource the plan was made against
   */
  record Delete(ResourceId id, String expected) implements Action {
    /**
     * Validates.
     *
     * @param id the resource to delete; not null
     * @param expected fingerprint of the actual resource the plan was made against; not null
     */
    public Delete {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(expected, "expected");
    }

    @Override public Kind kind() { return Kind.DELETE; }
  }

  /**
   * Take ownership of a resource that exists but nobody owns, and converge it.
   *
   * @param desired the content to converge to
   * @param diff what differs (may be empty: only ownership changes)
   * @param expected fingerprint of the actual resource the plan was made against
   */
  record Adopt(Resource desired, ResourceDiff diff, String expected) implements Action {
    /**
     * Validates.
     *
     * @param desired the content to converge to; not null
     * @param diff what differs, empty when only ownership changes; not null
     * @param expected fingerprint of the actual resource the plan was made against; not null
     */
    public Adopt {
      Objects.requireNonNull(desired, "desired");
      Objects.requireNonNull(diff, "diff");
      Objects.requireNonNull(expected, "expected");
    }

    @Override public ResourceId id() { return desired.id(); }
    @Override public Kind kind() { return Kind.ADOPT; }
  }

  /**
   * Nothing to do: actual already equals desired (modulo normalisation).
   *
   * @param id the resource
   * @param diff the empty diff, which may still count suppressed differences
   */
  record NoOp(ResourceId id, ResourceDiff diff) implements Action {
    /**
     * Validates.
     *
     * @param id the resource already converged; not null
     * @param diff the empty diff, possibly counting suppressed differences; not null
     */
    public NoOp {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(diff, "diff");
    }

    @Override public Kind kind() { return Kind.NOOP; }
    @Override public String expected() { return ""; }
  }

  /**
   * Run a handler because resources it watches changed in this plan.
   *
   * @param handler the handler
   * @param because the ids whose create, update or delete triggered it, sorted
   */
  record Run(Handler handler, List<ResourceId> because) implements Action {
    /**
     * Validates and copies.
     *
     * @param handler the handler to run; not null
     * @param because the ids that triggered it, sorted; copied
     */
    public Run {
      Objects.requireNonNull(handler, "handler");
      because = List.copyOf(because);
    }

    @Override public ResourceId id() { return handler.id(); }
    @Override public Kind kind() { return Kind.RUN; }
    @Override public String expected() { return ""; }
  }
}
