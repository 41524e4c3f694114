package dev.gitops.k8s.internal;

import dev.gitops.k8s.FieldConflictException;
import dev.gitops.model.ResourceId;
import dev.gitops.target.StaleResourceException;
import dev.gitops.target.TargetException;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;

/** Turns fabric8 failures into the library's exceptions, once, at the adapter edge. */
public final class Errors {
  private Errors() {}

  /** A target exception for {@code e}: retryable for 429, 5xx and transport failures. */
  public static TargetException of(ResourceId id, String what, KubernetesClientException e) {
    int code = e.getCode();
    boolean retryable = code == 0 || code == 429 || code >= 500;
    String reason = e.getStatus() != null && e.getStatus().getMessage() != null
        ? e.getStatus().getMessage() : e.getMessage();
    return new TargetException(id, what + ": HTTP " + code + ": " + reason, retryable, e);
  }

  /** The exception for a failed write: stale on 409 conflicts of versions, field conflicts of SSA. */
  public static TargetException ofWrite(ResourceId id, String expected, KubernetesClientException e,
                                        boolean serverSide) {
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
    return of(id, "write failed", e);
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
