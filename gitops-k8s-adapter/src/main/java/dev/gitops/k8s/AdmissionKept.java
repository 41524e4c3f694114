package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.gitops.diff.Change;
import dev.gitops.diff.DiffOptions;
import dev.gitops.diff.FieldSchema;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Observed;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.Wave;
import dev.gitops.target.TargetException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What admission puts back on every write is no drift, under either strategy. A mutating webhook or
 * an admission plugin may add content inside an atomic value {@code gitops} applied (a toleration, a
 * nodeSelector key), or rewrite a scalar it applied, during the write itself; the diff plans a
 * removal or replacement, and every reconcile would write it and see it come back (Argo CD's
 * client-side diff has this loop; its server-side diff and Flux's dry-run apply avoid it). When the
 * only changes of an owned object are such, one dry run of the update as the target writes it
 * settles it ({@link ClusterWriter#dryRunUpdate}): under server-side apply the apply (same body,
 * field manager, force and version), under {@link ApplyStrategy#JSON_PATCH} the JSON Patch's own
 * ops ({@code application/json-patch+json}, planned version first); the API server runs admission on
 * dry runs of both ({@code k8s.io/apiserver/pkg/endpoints/handlers/patch.go}: {@code applyPatch},
 * then {@code applyAdmission}, then the dry-run store). Where the server's answer holds the live
 * value at that place, admission puts it back, and the observation's applied record carries
 * {@link #KEPT} there instead of the applied value, so the diff counts it as
 * {@value SchemaField#KEPT_BY_ADMISSION}; where the answer differs (Git dropped a key), the change
 * stays. The verdict is kept per object, live version and desired content, so reads of an unchanged
 * object send no request; objects without such a change never send one. A refused dry run (403,
 * 409, a timeout, a field conflict under JSON Patch) leaves the change planned and is logged once
 * per verdict.
 *
 * <p>Inside atomic values: {@code managedFields} own an atomic list, map or struct as one field,
 * so the server-side diff plans whatever only its live value has as a removal
 * ({@link FieldSchema.Node#atomic()}); the JSON Patch diff does so for an atomic list, matched by
 * position (a key only live has in an atomic map was never applied and is no change there).
 *
 * <p>Scalars: a scalar {@code gitops} applied whose live value is not Git's is judged alike (Argo
 * CD's server-side diff keeps a webhook's rewrite of an applied field from its dry run; Flux
 * compares with its dry-run apply): a webhook that sets every container's
 * {@code imagePullPolicy: Always} rewrites the value on every write. The API server runs the field
 * manager before mutating admission ({@code createHandler}; the patch handler's {@code applyPatch}
 * before {@code applyAdmission}), so the field stays the writer's. An ordinary change of Git looks
 * the same, so its first sighting is written without asking: a dry run is sent only when this
 * target wrote the same desired content before ({@link #written}: created, updated or adopted it)
 * and the value still differs, or when admission was seen rewriting a value of that object. A plan
 * that was only previewed is no write: a push deploy plans twice (preview, then the fresh plan of
 * the deploy) and an ordinary change of Git sends no dry run then either. Thread-safe.
 */
final class AdmissionKept {
  /** In an applied record, in place of an owned atomic value: admission puts back what only live has in it. */
  static final JsonNode KEPT = TextNode.valueOf(SchemaField.KEPT_BY_ADMISSION);
  private static final Logger LOG = LoggerFactory.getLogger(AdmissionKept.class);
  /**
   * At most this many verdicts are kept (one per object with a removal inside an owned atomic value;
   * reads with a part of the desired state judge only that part, so none is dropped for being left out).
   */
  static final int MAX_VERDICTS = 10_000;

  /** The dry run of an update as the target writes it. */
  @FunctionalInterface
  interface DryRun {
    /** The object the server answers a dry run of writing {@code desired} as {@code owner} at {@code version}. */
    ObjectNode apply(Resource desired, String owner, String version);
  }

  private final LazyDiffer differ;
  private final DiffOptions options;
  private final DryRun dryRun;
  private final String server;
  /** The dry run's name in messages. */
  private final String request;
  private final Map<ResourceId, Verdict> verdicts = new ConcurrentHashMap<>();
  /**
   * The hash of the desired content this target last wrote of objects, until they are read without a
   * differing owned scalar: a hash, not the tree, which a fleet would keep alive for every object it
   * converged (10,000 trees, 36 MiB in `FleetBenchmark full`); two contents of one hash cost one dry
   * run more, never a wrong verdict (the dry run's answer decides).
   */
  private final Map<ResourceId, Integer> written = new ConcurrentHashMap<>();
  /** The objects where a dry run showed admission rewriting an owned scalar. */
  private final Map<ResourceId, Boolean> rewritten = new ConcurrentHashMap<>();

  /** One verdict: for an object at a version and a desired content, the atomic values admission keeps. */
  private record Verdict(String version, JsonNode desired, List<AtomicValues.Owned> kept) {}

  /**
   * Judges with {@code differ}, the diff a plan makes, asking {@code dryRun} of the API server
   * {@code server}, which writes with {@code strategy}.
   */
  AdmissionKept(LazyDiffer differ, DryRun dryRun, String server, ApplyStrategy strategy) {
    this.differ = differ;
    this.options = differ.options();
    this.dryRun = dryRun;
    this.server = server;
    this.request = strategy == ApplyStrategy.JSON_PATCH ? "dry run of the JSON patch" : "server-side dry run";
  }

  /**
   * {@code actual} with the observations of {@code owner}'s objects whose only changes are content
   * admission keeps inside owned atomic values marked so ({@link #KEPT}); {@code actual} itself when none.
   */
  ActualState check(DesiredState desired, ActualState actual, String owner) {
    Map<ResourceId, Observed> marked = null;
    for (Resource want : desired.resources()) {
      Observed have = actual.get(want.id());
      Observed seen = have == null ? null : judged(want, have, owner);
      if (seen != have) {
        marked = marked != null ? marked : new HashMap<>();
        marked.put(want.id(), seen);
      }
    }
    return marked == null ? actual : actual.with(marked);
  }

  private Observed judged(Resource want, Observed have, String owner) {
    if (!have.isOwnedBy(owner) || have.version().isEmpty()
        || !(have.lastApplied() instanceof Content.Tree applied)
        || !(have.resource().content() instanceof Content.Tree live)
        || !(want.content() instanceof Content.Tree tree) || options.schema() == null) {
      return have;
    }
    Verdict v = verdicts.get(want.id());
    if (v == null || !v.version().equals(have.version()) || !v.desired().equals(tree.node())) {
      FieldSchema.Node root = options.schema().root(want.id(), live.node(), tree.node(), applied.node());
      List<AtomicValues.Owned> owned = AtomicValues.differing(root, applied.node(), tree.node(), live.node());
      List<AtomicValues.Owned> scalars = AtomicValues.differingScalars(root, applied.node(), tree.node(), live.node());
      if (owned.isEmpty() && scalars.isEmpty()) {
        verdicts.remove(want.id());
        written.remove(want.id());
        return have;
      }
      if (!scalars.isEmpty() && firstSighting(want.id(), tree.node())) {
        return have; // an ordinary change of Git, applied without asking
      }
      v = new Verdict(have.version(), tree.node(), kept(want, have, owned, scalars, owner));
      remember(verdicts, want.id(), v);
    }
    if (v.kept().isEmpty()) {
      return have;
    }
    ObjectNode record = (ObjectNode) applied.node().deepCopy();
    for (AtomicValues.Owned o : v.kept()) {
      ((ObjectNode) record.at(o.recordParent())).set(o.name(), KEPT);
    }
    return new Observed(have.resource(), have.owner(), have.version(), new Content.Tree(record));
  }

  /**
   * After this target wrote desired content of hash {@code hash} ({@link JsonNode#hashCode}, taken
   * once per write and shared with {@link WrittenContent#written}) to object {@code id} (created,
   * updated or adopted it): an owned scalar that differs from it on a later read may be admission's.
   * Kept until the object is read without such a scalar, unlike {@link WrittenContent}'s record.
   */
  void written(ResourceId id, int hash) {
    remember(written, id, hash);
  }

  /**
   * True when {@code desired} differs in an owned scalar of object {@code id} before this target
   * wrote it (an ordinary change of Git), unless admission was seen rewriting one of its values before.
   */
  private boolean firstSighting(ResourceId id, JsonNode desired) {
    return !rewritten.containsKey(id) && !Integer.valueOf(desired.hashCode()).equals(written.get(id));
  }

  /** Puts {@code value} under {@code id} in {@code map}, emptied first when full; returns the value it had. */
  private static <V> V remember(Map<ResourceId, V> map, ResourceId id, V value) {
    if (map.size() >= MAX_VERDICTS) {
      map.clear(); // objects gone, or judged anew: a bound, not a cache policy
    }
    return map.put(id, value);
  }

  /**
   * The values of {@code owned} (atomic) and {@code scalars} a dry run shows admission keeps; none
   * when other changes are planned.
   */
  private List<AtomicValues.Owned> kept(Resource want, Observed have, List<AtomicValues.Owned> owned,
                                        List<AtomicValues.Owned> scalars, String owner) {
    ResourceDiff diff = differ.get().diff(want.id(), have.resource().content(), want.content(), have.lastApplied());
    if (diff.changes().isEmpty() || !onlyAdmissions(diff, owned, scalars)) {
      return List.of();
    }
    ObjectNode answer;
    try {
      answer = dryRun.apply(want, owner, have.version());
    } catch (KubernetesClientException e) {
      return refused(Errors.of(server, want.id(), request, e), want, diff, owner);
    } catch (TargetException e) {
      return refused(e, want, diff, owner);
    }
    JsonNode live = ((Content.Tree) have.resource().content()).node();
    List<AtomicValues.Owned> kept = new ArrayList<>();
    for (AtomicValues.Owned o : owned) {
      if (answer != null && AtomicValues.same(answer.at(o.live()), live.at(o.live()))) {
        kept.add(o);
      }
    }
    for (AtomicValues.Owned o : scalars) {
      if (answer != null && AtomicValues.same(answer.at(o.live()), live.at(o.live()))) {
        kept.add(o);
        remember(rewritten, want.id(), Boolean.TRUE);
      }
    }
    return kept;
  }

  /**
   * Logs the refusal {@code e} of the dry run of {@code want}: the server's words escaped
   * ({@link Errors#of}) and the values the plan of this update keeps secret masked, as
   * {@link Plan#masker()} masks them (a webhook's denial may quote a Secret's value, plain or base64).
   */
  private List<AtomicValues.Owned> refused(TargetException e, Resource want, ResourceDiff diff, String owner) {
    if (LOG.isWarnEnabled()) {
      Plan update = new Plan(owner, "", List.of(new Wave(0, List.of(new Action.Update(want, diff, "")))), "", options);
      LOG.warn("{}; the change stays planned (it may be what a mutating webhook puts back on every write)",
          update.masked(e.getMessage()));
    }
    return List.of();
  }

  /**
   * True when every change of {@code diff} removes something inside one of {@code owned} or
   * replaces one of {@code scalars}.
   */
  private static boolean onlyAdmissions(ResourceDiff diff, List<AtomicValues.Owned> owned,
                                        List<AtomicValues.Owned> scalars) {
    for (Change c : diff.changes()) {
      boolean inside = false;
      for (AtomicValues.Owned o : owned) {
        inside |= c.op() == Change.Op.REMOVE && c.path().startsWith(o.live() + "/");
      }
      for (AtomicValues.Owned o : scalars) {
        inside |= c.op() == Change.Op.REPLACE && c.path().equals(o.live());
      }
      if (!inside) {
        return false;
      }
    }
    return true;
  }
}
