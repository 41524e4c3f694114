package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the live server's OpenAPI v3 into {@link SchemaSources}: the index {@code /openapi/v3}
 * once, then the document of each built-in group version a read needs
 * ({@code /openapi/v3/apis/apps/v1?hash=...}, as the index names it), each once. So a target holds
 * the schemas of the server version it talks to, read once per target. A server that does not
 * serve the index (an old server, a test double) is not asked again: the built-in table serves.
 * Custom kinds' schemas come from their CRDs, not from here. Thread-safe. Not public API.
 */
final class LiveOpenApi {
  private static final Logger LOG = LoggerFactory.getLogger(LiveOpenApi.class);

  private final KubernetesClient client;
  private final SchemaSources sources;
  private final Set<String> asked = new HashSet<>();
  private JsonNode index;
  private boolean unavailable;

  /** Reads {@code client}'s server into {@code sources}. */
  public LiveOpenApi(KubernetesClient client, SchemaSources sources) {
    this.client = client;
    this.sources = sources;
  }

  /** Learns the documents of the built-in kinds among {@code kinds} not learnt yet. */
  public synchronized void load(Collection<KindInfo> kinds) {
    if (unavailable) {
      return;
    }
    try {
      for (KindInfo info : kinds) {
        if (!BuiltinKinds.isBuiltinGroup(info.group())) {
          continue;
        }
        String path = info.group().isEmpty() ? "api/" + info.version()
            : "apis/" + info.group() + "/" + info.version();
        if (!asked.add(path)) {
          continue;
        }
        if (index == null) {
          index = get("/openapi/v3");
          if (index == null) {
            unavailable = true;
            LOG.debug("the server serves no /openapi/v3: the built-in schema table serves");
            return;
          }
        }
        String url = index.path("paths").path(path).path("serverRelativeURL").asText(null);
        JsonNode document = url == null ? null : get(url);
        if (document != null) {
          sources.learnDocument(document, true);
        }
      }
    } catch (KubernetesClientException | IllegalStateException e) {
      unavailable = true;
      // the answer's text, escaped: fabric8's message and stack trace repeat the server's words raw
      LOG.debug("cannot read the server's OpenAPI: the built-in schema table serves: {}",
          e instanceof KubernetesClientException k ? Errors.answer(k) : Errors.cause(e));
    }
  }

  private JsonNode get(String path) {
    String base = client.getMasterUrl().toString().replaceAll("/+$", "");
    String body = client.raw(base + path);
    return body == null || body.isBlank() ? null : Json.parse(body);
  }
}
