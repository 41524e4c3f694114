package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.mockwebserver.http.MockResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The schemas the {@link ApiServerStandIn} merges and records fields with: a built-in kind's
 * ({@link ApiSchema#builtin}), or a custom kind's from its stored CRD, kept until a CRD is written.
 * Not thread-safe: the stand-in calls it under its lock.
 */
final class StandInSchemas {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> BUILTIN_GROUPS = Set.of("", "apps", "batch", "autoscaling", "policy",
      "rbac.authorization.k8s.io", "networking.k8s.io", "storage.k8s.io", "coordination.k8s.io",
      "apiextensions.k8s.io", "scheduling.k8s.io", "discovery.k8s.io", "admissionregistration.k8s.io");
  /** Custom kinds' schemas by {@code apiVersion/Kind}, dropped whenever a CRD is written. */
  private final Map<String, ApiSchema> customSchemas = new HashMap<>();
  /** The CRUD mock's answer to a GET of a path. */
  private final Function<String, MockResponse> get;

  /** Schemas whose CRDs {@code get} reads from the CRUD mock. */
  StandInSchemas(Function<String, MockResponse> get) {
    this.get = get;
  }

  /** True when {@code group} is a built-in API group. */
  static boolean builtin(String group) {
    return BUILTIN_GROUPS.contains(group);
  }

  /** Forgets the custom kinds' schemas: a CRD was written. */
  void clear() {
    customSchemas.clear();
  }

  /** The schema of {@code apiVersion}'s {@code kind}. */
  ApiSchema schema(String apiVersion, String kind) {
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    if (!BUILTIN_GROUPS.contains(group)) {
      return customSchemas.computeIfAbsent(apiVersion + "/" + kind, k -> customSchema(apiVersion, group, kind));
    }
    return ApiSchema.builtin(kind);
  }

  /** The schema of a custom kind from its stored CRD (all atomic when there is none). */
  private ApiSchema customSchema(String apiVersion, String group, String kind) {
    MockResponse r = get.apply("/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
    try {
      for (JsonNode crd : JSON.readTree(r.getBody().getBytes()).path("items")) {
        if (crd.path("spec").path("group").asText().equals(group)
            && crd.path("spec").path("names").path("kind").asText().equals(kind)) {
          return ApiSchema.custom(crd, apiVersion.substring(apiVersion.indexOf('/') + 1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ApiSchema.builtin(kind);
  }
}
