package dev.gitops.k8s;

import dev.gitops.model.ResourceId;
import dev.gitops.target.StaleResourceException;
import dev.gitops.target.TargetException;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;

/** Turns fabric8 failures into the library's exceptions, once, at the adapter edge. */
final class Errors {
  private Errors() {}

  /**
   * A target exception for {@code e}: retryable for 429, 5xx and transport failures. A failure
   * with no HTTP answer (connection refused, unknown host, TLS, timeout) names the API server's URL
   * {@code server} and the underlying cause instead of an HTTP code.
   */
  public static TargetException of(String server, ResourceId id, String what, KubernetesClientException e) {
    int code = e.getCode();
    if (code <= 0) {
      return new TargetException(id, what + ": cannot reach the Kubernetes API server at " + server
          + ": " + cause(e), true, e);
    }
    boolean retryable = code == 429 || code >= 500;
    String reason = e.getStatus() != null && e.getStatus().getMessage() != null
        ? e.getStatus().getMessage() : e.getMessage();
    return new TargetException(id, what + ": HTTP " + code + ": " + reason, retryable, e);
  }

  /** The innermost cause's message and class: {@code Connection refused (ConnectException)}. */
  static String cause(Throwable e) {
    Throwable root = e;
    for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 20; depth++) {
      root = root.getCause();
    }
    String message = root.getMessage();
    String type = root.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : message + " (" + type + ")";
  }

  /** The exception for a failed write: stale on 409 conflicts of versions, field conflicts of SSA. */
  public static TargetException ofWrite(String server, ResourceId id, String expected,
                                        KubernetesClientException e, boolean serverSide) {
    if (e.getCode() == 409) {
      List<String> fields = conflicts(e.getStatus());
      if (serverSide && !fields.isEmpty()) {
        return new FieldConflictException(id, fields);
      }
      return new StaleResourceException(id, expected, "absent".equals(expected)
          ? "an existing object (HTTP 409)" : "a newer version (HTTP 409)");
    }
    if (e.getCode() == 404 && expected != null && !expected.isEmpty()
        && !"absent".equals(expected)) {
      return new StaleResourceException(id, expected, "absent");
    }
    return of(server, id, "write failed", e);
  }

  private static List<String> conflicts(Status status) {
    List<String> out = new ArrayList<>();
    if (status == null || status.getDetails() == null || status.getDetails().getCauses() == null) {
      return out;
    }
    for (StatusCause c : status.getDetails().getCauses()) {
      if ("FieldManagerConflict".equals(c.getReason())) {
        out.add(c.getField() + " (" + c.getMessage() + ")");
      }
    }
    return out;
  }
}
