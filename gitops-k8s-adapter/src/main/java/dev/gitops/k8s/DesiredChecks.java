package dev.gitops.k8s;

import dev.gitops.diff.DiffOptions;
import dev.gitops.diff.FieldSchema;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import dev.gitops.plan.Action;
import dev.gitops.target.Scope;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What a target checks of a desired state before the plan, so that a cluster never refuses a write
 * half way through an apply: no object gitops keeps for itself ({@link Bookkeeping}), no API version
 * the cluster no longer serves ({@link RemovedApis}), no keyed list that server-side apply would
 * refuse for a duplicate key ({@link DuplicateKeys}: when the target applies server-side, and in
 * custom resources, whose server refuses it under any write), all before anything is read; then, against
 * what was read, no custom resource its CRD makes the server refuse ({@link CustomChecks}: a value of
 * the wrong type, out of range, a field server-side apply cannot type; what the server prunes is
 * warned of once) and no change of a field the server keeps as created ({@link ImmutableFields}). What
 * admission puts back on every write (inside an owned atomic value, or over an owned scalar) is
 * marked in what was read ({@link AdmissionKept}, from a dry run of the update as the target writes
 * it), so the plan does not write it on every run. No object larger than the
 * API server reads in one write or than etcd stores ({@link ObjectSizes}): once read, since a create
 * sends more than an update under JSON Patch.
 * Thread-safe.
 */
final class DesiredChecks {
  private final String inventoryNamespace;
  private final RemovedApis removed;
  private final ImmutableFields immutable;
  private final FieldSchema schema;
  private final boolean serverSide;
  private final AdmissionKept admission;
  private final WrittenContent written = new WrittenContent();
  /** True when the target only sends dry runs: its writes store nothing. */
  private final boolean dryRunTarget;
  private final CustomChecks custom;
  private final long etcdLimit;
  private final List<dev.gitops.diff.PathRule> ignore;
  private final Function<Resource, String> record;
  private volatile Learnt learnt;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DesiredChecks.class);
  /** The decoder-dropped fields warned of, by object and field. */
  private final java.util.Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * The checks for a target on {@code client} planning with {@code diff}, writing as {@code options}
   * say; {@code dryRun} (or null: no such check) answers what an update, written with the target's
   * strategy, would store.
   */
  DesiredChecks(KubernetesClient client, DiffOptions diff, KubernetesTarget.Options options,
                AdmissionKept.DryRun dryRun) {
    this(client, diff, options, dryRun, r -> AppliedRecord.encode(((Content.Tree) r.content()).node(),
        WriteBodies.secret(r.id())));
  }

  /**
   * As {@link #DesiredChecks(KubernetesClient, DiffOptions, KubernetesTarget.Options, AdmissionKept.DryRun)},
   * {@code record} giving the last-applied record a JSON Patch write would carry of a desired object.
   */
  DesiredChecks(KubernetesClient client, DiffOptions diff, KubernetesTarget.Options options,
                AdmissionKept.DryRun dryRun, Function<Resource, String> record) {
    this.etcdLimit = options.etcdMaxRequestBytes();
    this.ignore = options.ignore();
    this.record = record;
    this.inventoryNamespace = options.inventoryNamespace();
    this.removed = new RemovedApis(client);
    LazyDiffer differ = new LazyDiffer(diff); // one compiled differ for both checks
    this.immutable = new ImmutableFields(differ);
    this.serverSide = options.strategy() == ApplyStrategy.SERVER_SIDE;
    this.dryRunTarget = options.dryRun();
    this.schema = diff.schema();
    this.custom = new CustomChecks(serverSide);
    this.admission = dryRun != null
        ? new AdmissionKept(differ, dryRun, String.valueOf(client.getMasterUrl()), options.strategy()) : null;
  }

  /**
   * {@code reader}'s actual state for {@code scope}, once {@code desired} passed every check.
   *
   * @throws dev.gitops.model.InvalidDesiredStateException naming each problem with file, line and resource
   */
  ActualState read(Scope scope, DesiredState desired, Function<Scope, ActualState> reader) {
    List<Problem> problems = new ArrayList<>(Bookkeeping.problems(desired, inventoryNamespace));
    problems.addAll(removed.problems(desired));
    if (schema != null) {
      problems.addAll(DuplicateKeys.problems(desired, withCrds(schema, desired), serverSide));
    }
    if (!problems.isEmpty()) {
      throw new InvalidDesiredStateException(problems); // all of them, before anything is read
    }
    ActualState read = reader.apply(scope);
    FieldSchema known = schema == null ? null : withCrds(schema, desired);
    problems.addAll(ObjectSizes.problems(desired, read, known, serverSide, etcdLimit, record));
    if (schema instanceof KubernetesSchema target
        && known instanceof KubernetesSchema learnt) { // the cluster's CRDs known now
      problems.addAll(custom.check(desired, read, learnt, target).refused());
    }
    if (!problems.isEmpty()) {
      throw new InvalidDesiredStateException(problems); // before anything is written
    }
    // a drop the object keeps is told of by a restarted target too, once while it lives (warnDecoded)
    ActualState actual = written.settle(desired, immutable.check(desired, read, scope.owner()), this::warnDecoded);
    return admission == null ? actual : admission.check(desired, actual, scope.owner());
  }

  /**
   * After {@code action} was written (not as a dry run): what an owned scalar of its object holds
   * other than its desired content on a later read may be admission's ({@link AdmissionKept#written});
   * under JSON Patch, what the write sent and its {@code answer} (the object as stored, or null when
   * unknown) lacks, owned by no entry of {@code gitops}, the decoder dropped ({@link DecodedDrops}).
   * Returns what the object should keep of those ({@link DecodedDrops#ANNOTATION}) when the answer
   * keeps other, else null (the usual path: nothing to write).
   */
  DecodedDrops.Marker written(Action action, com.fasterxml.jackson.databind.node.ObjectNode answer) {
    Resource desired = switch (action.kind()) {
      case CREATE -> ((Action.Create) action).desired();
      case UPDATE -> ((Action.Update) action).desired();
      case ADOPT -> ((Action.Adopt) action).desired();
      default -> null;
    };
    if (dryRunTarget || desired == null || !(desired.content() instanceof Content.Tree tree)) {
      return null;
    }
    int hash = tree.node().hashCode(); // a walk of the whole tree: once, for both records
    written.written(desired.id(), hash);
    DecodedDrops.Marker marker = null;
    if (!serverSide && answer != null && schema != null) {
      dev.gitops.diff.ResourceDiff diff = action instanceof Action.Update u ? u.diff()
          : action instanceof Action.Adopt a ? a.diff() : null; // a create sends everything
      List<dev.gitops.diff.Change> changes = diff == null ? null : diff.changes();
      // what the ignore rules keep out of every write was never sent: its absence says nothing of the server
      List<ServerDrops.Dropped> decoded = DecodedDrops.of(Pointers.without(desired.id(), tree.node(), ignore), answer,
          schema.root(desired.id(), answer, tree.node(), null),
          p -> changes == null || changes.stream().anyMatch(c -> p.equals(c.path()) || p.startsWith(c.path() + "/")),
          list -> changes == null ? List.of() : changes.stream().filter(c -> c.op() == dev.gitops.diff.Change.Op.ADD
              && c.after() != null && c.path().equals(list + "/-")).map(dev.gitops.diff.Change::after).toList());
      String keep = DecodedDrops.encode(written.decoded(desired.id(), tree.node(), decoded, answer));
      decoded.forEach(d -> warnDecoded(desired, d));
      marker = java.util.Objects.equals(keep, answer.path("metadata").path("annotations")
          .path(DecodedDrops.ANNOTATION).textValue()) ? null : new DecodedDrops.Marker(keep);
    }
    if (admission != null) {
      admission.written(desired.id(), hash);
    }
    return marker;
  }

  /**
   * Says once, while the target lives (up to 10,000 fields), that the server did not store
   * {@code field} of {@code r}: when a write of this target found it, or a read found the drop kept
   * on the object ({@link DecodedDrops#ANNOTATION}) by an earlier run, so each run of the command
   * line says it as the first did while Git still sets the field.
   */
  private void warnDecoded(Resource r, ServerDrops.Dropped field) {
    Problem p = Problem.at(r.origin(), r.id(), "the server did not store " + field.text() + " that the write sent,"
        + " and no manager owns it: a field this server does not know (older than the field?); not planned again"
        + " while Git's value there is unchanged (hidden as " + SchemaField.DROPPED + ")");
    if (warned.size() < 10_000 && warned.add(r.id() + " " + field.text())) {
      LOG.warn("{}", p);
    }
  }

  /** True when this target last wrote {@code r}'s content, as it is ({@link WrittenContent}). */
  boolean wroteSame(Resource r) {
    return written.wroteSame(r);
  }

  /**
   * {@code schema} with the CRDs {@code desired} declares, for their custom resources there; learnt
   * again only when those CRDs changed since the last read (a pull agent reads the same ones every
   * poll, and a CRD's schema takes a while to compile).
   */
  private FieldSchema withCrds(FieldSchema schema, DesiredState desired) {
    List<Content> crds = desired.resources().stream().filter(r -> KubernetesSchema.isCrd(r.id()))
        .map(Resource::content).toList();
    if (crds.isEmpty() || !(schema instanceof KubernetesSchema k)) {
      return schema;
    }
    Learnt last = learnt;
    if (last == null || last.from() != schema || !last.crds().equals(crds)) {
      learnt = last = new Learnt(schema, crds, k.learn(desired));
    }
    return last.schema();
  }

  /** The schema learnt from {@code from} and the CRDs {@code crds}. */
  private record Learnt(FieldSchema from, List<Content> crds, FieldSchema schema) {}
}
