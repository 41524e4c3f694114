package dev.gitops.k8s;

import dev.gitops.model.ResourceId;
import dev.gitops.target.StaleResourceException;
import dev.gitops.target.TargetException;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Turns fabric8 failures into the library's exceptions, once, at the adapter edge. */
final class Errors {
  private Errors() {}

  /**
   * A target exception for {@code e}: retryable for 429, 5xx and transport failures, but for a 429
   * or 5xx the client already retried ({@link HttpRetries}: one layer retries an answer, so the
   * applier's attempts do not multiply the client's; it says how often it was sent). A failure
   * with no HTTP answer (connection refused, unknown host, TLS, timeout) names the API server's URL
   * {@code server} and the underlying cause instead of an HTTP code. A retryable answer carries the
   * wait the server asked for ({@link #retryAfter}); one whose answer did not end
   * within the target's {@code callTimeout} says so and names the request.
   */
  public static TargetException of(String server, ResourceId id, String what, KubernetesClientException e) {
    int code = e.getCode();
    if (code <= 0) {
      boolean slow = root(e) instanceof HttpTimeoutException;
      return new TargetException(id, what + (slow ? ": the Kubernetes API server at " + server + " answered too slowly: "
          : ": cannot reach the Kubernetes API server at " + server + ": ") + cause(e), true, e);
    }
    String tooLarge = tooLarge(e);
    boolean retryable = HttpRetries.retried(code) && tooLarge == null;
    Duration wait = retryable ? retryAfter(e.getStatus()) : null;
    String retried = retryable ? HttpRetries.retriedBefore(e.getStatus()) : null;
    return new TargetException(id, what + ": " + answer(e)
        + (code == 401 ? unauthorized(server) : "") + (tooLarge == null ? "" : tooLarge)
        + (wait == null ? "" : " (Retry-After: " + wait.toSeconds() + " s)")
        + (retried == null ? "" : "; " + retried + ": not tried again"),
        retryable && retried == null, wait, e);
  }

  /**
   * What a 401 means, never the credential: the server authenticates every request before anything
   * else, so it refused who the client is, not what it asked (that is a 403, which names the verb,
   * resource and namespace). fabric8 (its {@code TokenRefreshInterceptor}) reads a token from its
   * source again after a 401 and sends the request once more, so a 401 that reaches us is the answer
   * to a credential read again: not retried.
   */
  private static String unauthorized(String server) {
    return ": the API server at " + server + " did not accept the client's credentials (expired, revoked or"
        + " none sent); a token from a kubeconfig (its exec plugin, token, or tokenFile through"
        + " KubeconfigCredentials) or from the service-account token file was read again and refused again (a token set on the client's Config is never read again)";
  }

  /**
   * What an answer that the object is too large means, or null: a 413 is the API server's limit on a
   * write's body (3 MiB, {@code MaxRequestBodyBytes}); a 500 saying "etcdserver: request is too
   * large" is etcd's {@code --max-request-bytes}. The same write is refused again: not retried.
   */
  private static String tooLarge(KubernetesClientException e) {
    String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
    if (e.getCode() == 413) {
      return ": the API server refused the write's body as too large (it reads at most 3 MiB of one, or what this"
          + " cluster set): split the object, or keep large data out of it; not retried";
    }
    if (HttpRetries.tooLarge(e.getCode(), message)) {
      return ": etcd refused to store the object as too large (its --max-request-bytes, 1.5 MiB by default):"
          + " split the object, or keep large data out of it (KubernetesTarget.Options.withEtcdMaxRequestBytes"
          + " tells the checks before a plan what this cluster's etcd takes); not retried";
    }
    return null;
  }

  /**
   * The wait the API server asked for in its Status, {@code details.retryAfterSeconds}, or null: the
   * server writes its {@code Retry-After} header from that field whenever it answers with a Status
   * (apiserver's {@code ErrorNegotiated}). fabric8 8.0.0 keeps no header of a failed response, only
   * the Status (and retries a 429 or 5xx on its own backoff, whatever the header says: it computes
   * the header's wait, then sleeps its own interval), so a target's client ({@link BoundedHttp})
   * retries instead and writes the header's wait of a proxy's page or text into the Status it
   * hands on ({@link HttpRetries#lastAnswer}).
   */
  static Duration retryAfter(Status status) {
    Integer seconds = status == null || status.getDetails() == null ? null : status.getDetails().getRetryAfterSeconds();
    return seconds == null || seconds <= 0 ? null : Duration.ofSeconds(seconds);
  }

  /**
   * What the server answered, for people: {@code HTTP 500: etcdserver: request timed out}, or the
   * innermost cause when no answer came.
   */
  static String answer(KubernetesClientException e) {
    if (e.getCode() <= 0) {
      return cause(e);
    }
    return "HTTP " + e.getCode() + ": " + printable(e.getStatus() != null && e.getStatus().getMessage() != null
        ? e.getStatus().getMessage() : e.getMessage());
  }

  /**
   * {@code text} (a server's words: an admission webhook's denial may hold anything) whole, with
   * what would break a log line, drive a terminal or hide in it written as an escape by the rule
   * every name prints by ({@link ResourceId#escape}: line breaks and tabs, controls as {@code \x1b},
   * direction marks, zero-width and other invisible characters, and backslashes, so it reads back).
   */
  static String printable(String text) {
    return text == null ? null : ResourceId.escape(text);
  }

  /**
   * The innermost cause's message, {@link #printable} (it may quote what the server sent: a discovery
   * answer the client could not read names the value), and class: {@code Connection refused (ConnectException)}.
   */
  static String cause(Throwable e) {
    Throwable root = root(e);
    String message = root.getMessage();
    String type = root.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : printable(message) + " (" + type + ")";
  }

  private static Throwable root(Throwable e) {
    Throwable root = e;
    for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 20; depth++) {
      root = root.getCause();
    }
    return root;
  }

  /**
   * The exception for a failed write: stale on 409 conflicts of versions, field conflicts of SSA,
   * and stale on a JSON Patch whose {@code test} of a list element failed (the API server applies
   * the patch before it compares versions and answers 422 with json-patch's "testing value ...
   * failed": the list was reordered or shortened since it was read).
   */
  public static TargetException ofWrite(String server, ResourceId id, String expected,
                                        KubernetesClientException e, boolean serverSide) {
    if (!serverSide && e.getCode() == 422 && answer(e).contains("testing value")) {
      return new StaleResourceException(id, expected, "a list element moved since it was read"
          + " (HTTP 422: the patch's test of its key failed)");
    }
    if (e.getCode() == 409) {
      List<String> fields = conflicts(e.getStatus());
      if (serverSide && !fields.isEmpty()) {
        return new FieldConflictException(id, fields, e);
      }
      return new StaleResourceException(id, expected, "absent".equals(expected)
          ? "an existing object (HTTP 409)" : "a newer version (HTTP 409)");
    }
    if (e.getCode() == 404 && expected != null && !expected.isEmpty()
        && !"absent".equals(expected)) {
      return new StaleResourceException(id, expected, "absent");
    }
    if (e.getCode() == 404 && "absent".equals(expected) && unserved(id, e.getStatus())) {
      return new TargetException(id, "write failed: " + answer(e) + ": the API server does not serve kind "
          + id.group() + "/" + id.kind() + " (yet): is its CustomResourceDefinition installed and Established?",
          true, e);
    }
    return of(server, id, "write failed", e);
  }

  /**
   * True when a 404 to a create of a custom kind says its resource is not served (the API server
   * answers so until the kind's CRD is Established, in the second or so after it is created, and
   * while it is not installed), not that the object's namespace is missing (that 404 names it).
   */
  private static boolean unserved(ResourceId id, Status status) {
    return BuiltinKinds.find(id.group(), id.kind()).isEmpty()
        && (status == null || status.getDetails() == null || status.getDetails().getName() == null);
  }

  /**
   * The manager a conflict cause names, as {@code JSON_PATCH}'s conflicts name it ({@code manager
   * kubectl}, {@code manager kubelet, subresource status}), parsed from the server's text
   * (apimachinery's {@code internal/conflict.go}: {@code conflict with <printManager>}); the text
   * itself when it is not so.
   */
  private static String manager(String message) {
    String[] who = HandOverConflicts.manager(message);
    if (who == null) {
      return printable(message);
    }
    return "manager " + printable(who[0]) + (who[2].isEmpty() ? "" : ", subresource " + printable(who[2]));
  }

  private static List<String> conflicts(Status status) {
    List<String> out = new ArrayList<>();
    if (status == null || status.getDetails() == null || status.getDetails().getCauses() == null) {
      return out;
    }
    for (StatusCause c : status.getDetails().getCauses()) {
      if ("FieldManagerConflict".equals(c.getReason())) {
        out.add(printable(c.getField()) + " (" + manager(c.getMessage()) + ")");
      }
    }
    return out;
  }
}
