package dev.gitops.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.Content;
import dev.gitops.model.Observed;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.TargetException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;

/**
 * What a write did whose outcome the server left unknown, found by reading the object back once.
 * A write is unknown when its request went out and no answer says what became of it: the answer was
 * lost (a timeout, a reset or closed connection), or the server answered 500 ({@code InternalError}:
 * "the outcome of the call is unknown", apimachinery's words; an etcd timeout is the common case),
 * 502 or 504 ({@code Timeout}: the request may still complete). Then the object read back either
 * holds what the step sent — it is owned by the step's owner, it moved from the planned version,
 * it carries the record of what was applied that the step sent (under {@link ApplyStrategy#JSON_PATCH}
 * the annotation's very text, under server-side apply the field set of the manager {@code gitops}),
 * and the plan's diff finds nothing left to change — or it does not, and the step did not happen
 * (yet). A delete happened when the object is gone or being deleted. Not public API; thread-safe.
 */
final class ReadBack {
  /**
   * What the read found.
   *
   * @param live the object read, null when absent
   * @param found what it holds, for people: {@code the object holds what this step sent},
   *     {@code it is absent}; a settled step's verdict says too that its answer was lost
   * @param applied true when it holds what the step sent (for a delete: it is gone or going)
   */
  record Verdict(ObjectNode live, String found, boolean applied) {}

  private final ObjectRequests requests;
  private final LazyDiffer differ;
  private final boolean serverSide;

  /** Reads through {@code client} and judges with the plan's {@code differ}. */
  ReadBack(KubernetesClient client, LazyDiffer differ, boolean serverSide) {
    this.requests = new ObjectRequests(client);
    this.differ = differ;
    this.serverSide = serverSide;
  }

  /**
   * True when the server may have stored a write that failed with {@code e}: no answer after the
   * request went out, or 500, 502, 504. A connection refused, an unknown host, no route or a failed
   * TLS handshake sent nothing; 429, 503, a 500 saying etcd refused the request as too large, and
   * the other answers say the write was not done.
   */
  static boolean unknown(KubernetesClientException e) {
    int code = e.getCode();
    if (code > 0) {
      return code == 500 && !HttpRetries.tooLarge(code, e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage())
          || code == 502 || code == 504;
    }
    Throwable t = e;
    for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
          || t instanceof SSLHandshakeException) {
        return false;
      }
    }
    return true;
  }

  /**
   * After the write of {@code action} failed with {@code e}, its outcome unknown ({@link #unknown}) or
   * a 409 or 404 that an earlier attempt's lost answer may explain: reads the object once. The
   * verdict when it holds what the step sent, {@link Verdict#found()} then saying so for the report;
   * null when a 409 or 404 stands as it is. {@code record} is the last-applied annotation a JSON
   * Patch step sent (null under server-side apply, and for deletes).
   *
   * @throws TargetException when the outcome was unknown and the step did not happen (retryable:
   *     the applier may send it again, now that it knows), or the object cannot be read (not
   *     retryable: nothing is sent blindly)
   */
  Verdict settle(Action action, String owner, KindInfo info, String record, KubernetesClientException e) {
    boolean unknown = unknown(e);
    String what = "write failed: " + Errors.answer(e);
    Verdict verdict;
    try {
      verdict = check(action, owner, info, record);
    } catch (KubernetesClientException again) {
      if (!unknown) {
        return null;
      }
      throw new TargetException(action.id(), what + "; whether the server stored it is unknown, and reading it back"
          + " failed too (" + Errors.answer(again) + "): not sent again; the next run reads what is there", false, e);
    }
    if (verdict.applied()) {
      return new Verdict(verdict.live(), (unknown ? "its answer was lost (" + Errors.answer(e) + ")"
          : "it met HTTP " + e.getCode() + " (an earlier attempt may have landed, its answer lost)") + "; read back, "
          + verdict.found(), true);
    }
    if (!unknown) {
      return null;
    }
    throw new TargetException(action.id(), what + "; whether the server stored it was unknown, and read back "
        + verdict.found() + ": not " + action.kind().word() + (action.kind().word().endsWith("e") ? "d" : "ed"), true, e);
  }

  /** Reads the object of {@code action} once and judges whether it holds what the step sent for {@code owner}. */
  private Verdict check(Action action, String owner, KindInfo info, String record) {
    ResourceId id = action.id();
    ObjectNode live = requests.get(id, info);
    String version = live == null ? "" : live.path("metadata").path("resourceVersion").asText("");
    if (action.kind() == Action.Kind.DELETE) {
      if (live == null) {
        return new Verdict(null, "it is gone", true);
      }
      boolean going = live.path("metadata").hasNonNull("deletionTimestamp");
      return new Verdict(live, going ? "it is being deleted (version " + version + ", held by finalizers)"
          : "it is still there (version " + version + ")", going);
    }
    if (live == null) {
      return new Verdict(null, "it is absent", false);
    }
    boolean holds = holds(action, owner, live, version, record);
    return new Verdict(live, "the object " + (holds ? "holds" : "does not hold") + " what this step sent (version "
        + version + ")", holds);
  }

  private boolean holds(Action action, String owner, ObjectNode live, String version, String record) {
    ResourceId id = action.id();
    if (action.expected().equals("version:" + version)) {
      return false; // not written since the plan
    }
    Observed seen = LiveObservation.observe(id, live, serverSide ? LiveObservation::ownedFields
        : node -> AppliedRecord.decode(node.path("metadata").path("annotations").path(Labels.APPLIED).asText(null)),
        serverSide);
    if (!seen.isOwnedBy(owner) || seen.lastApplied() == null) {
      return false;
    }
    if (record != null && !record.equals(live.path("metadata").path("annotations").path(Labels.APPLIED).asText())) {
      return false;
    }
    Resource desired = desired(action);
    Content actual = seen.resource().content();
    return differ.get().diff(id, actual, desired.content(), seen.lastApplied()).isEmpty();
  }

  /** What a create, update or adopt step writes. */
  static Resource desired(Action action) {
    if (action instanceof Action.Create c) {
      return c.desired();
    }
    if (action instanceof Action.Update u) {
      return u.desired();
    }
    if (action instanceof Action.Adopt a) {
      return a.desired();
    }
    throw new IllegalArgumentException("no desired content: " + action.kind());
  }
}
