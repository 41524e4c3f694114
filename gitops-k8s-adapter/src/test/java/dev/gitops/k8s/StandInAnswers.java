package dev.gitops.k8s;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * What the {@link ApiServerStandIn} reads of a request and answers beside the object: the query,
 * the field manager a request without one gets, and the {@code Status} of a failure, as the API
 * server writes them. Stateless.
 */
final class StandInAnswers {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StandInAnswers() {}

  /** The 409 of a write whose {@code resourceVersion} precondition failed. */
  static MockResponse stale() {
    return status(409, "Conflict", "Operation cannot be fulfilled: the object has been modified;"
        + " please apply your changes to the latest version and try again", null);
  }

  /** A {@code Status} of {@code code}, with {@code causes} under {@code details} when not null. */
  static MockResponse status(int code, String reason, String message, ArrayNode causes) {
    ObjectNode s = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Status")
        .put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
    if (causes != null) {
      s.putObject("details").set("causes", causes);
    }
    return new MockResponse().setResponseCode(code).setBody(FieldSets.write(s));
  }

  /** The manager a real server names for a request without {@code fieldManager}: the user agent up to '/'. */
  static String userAgentManager(RecordedRequest request) {
    String agent = request.getHeader("User-Agent");
    return agent == null || agent.isBlank() ? "unknown" : agent.split("/")[0];
  }

  /** The parameters of a query string, decoded. */
  static Map<String, String> query(String text) {
    Map<String, String> out = new HashMap<>();
    for (String pair : text.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
