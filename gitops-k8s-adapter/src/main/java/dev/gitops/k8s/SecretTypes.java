package dev.gitops.k8s;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The keys a Secret's {@code type} requires, checked on load: the API server refuses such a
 * Secret with 422 at the write of its wave, after the earlier waves were written, and the fabric8
 * mock takes it. From the API server's {@code ValidateSecret}, which reads {@code data} after
 * {@code stringData} was written over it (a key counts in either; {@code stringData} wins):
 *
 * <ul>
 *   <li>{@code kubernetes.io/tls}: {@code tls.crt} and {@code tls.key} (an empty value is fine).
 *   <li>{@code kubernetes.io/dockerconfigjson}: {@code .dockerconfigjson};
 *       {@code kubernetes.io/dockercfg}: {@code .dockercfg}; its bytes a JSON object (or
 *       {@code null}).
 *   <li>{@code kubernetes.io/basic-auth}: {@code username} or {@code password} (empty is fine).
 *   <li>{@code kubernetes.io/ssh-auth}: a non-empty {@code ssh-privatekey}.
 *   <li>{@code kubernetes.io/service-account-token}: a non-empty annotation
 *       {@code kubernetes.io/service-account.name}.
 * </ul>
 *
 * Values are never printed. A value that is not text or not base64 is left to {@link DecodedValues}.
 */
final class SecretTypes {
  private static final String SERVICE_ACCOUNT = "kubernetes.io/service-account.name";
  /** Go's decoder nests 10000 deep; numbers and strings are bounded by the Secret's 1 MiB. */
  private static final JsonFactory JSON = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
      .maxNestingDepth(10_000).maxNumberLength(Integer.MAX_VALUE).build()).build();

  private SecretTypes() {
  }

  /** Adds to {@code problems} what the server would refuse of {@code node}'s keys for its type, a {@code group}/{@code kind}. */
  static void check(String group, String kind, JsonNode node, List<DecodedValues.Refusal> problems) {
    if (!group.isEmpty() || !kind.equals("Secret") || !node.path("type").isTextual()) {
      return;
    }
    String type = node.get("type").textValue();
    switch (type) {
      case "kubernetes.io/tls" -> {
        require(node, type, "tls.crt", problems);
        require(node, type, "tls.key", problems);
      }
      case "kubernetes.io/dockerconfigjson" -> json(node, type, ".dockerconfigjson", problems);
      case "kubernetes.io/dockercfg" -> json(node, type, ".dockercfg", problems);
      case "kubernetes.io/basic-auth" -> {
        if (field(node, "username") == null && field(node, "password") == null) {
          refuse(problems, missingAt(node), "data: neither username nor password where type is " + type
              + ", which needs one of them (in data or stringData; it may be empty)");
        }
      }
      case "kubernetes.io/ssh-auth" -> {
        String field = field(node, "ssh-privatekey");
        byte[] bytes = field == null ? new byte[0] : bytes(field, node.path(field).path("ssh-privatekey"));
        if (bytes != null && bytes.length == 0) {
          String shown = (field == null ? "data" : field) + "[\"ssh-privatekey\"]: ";
          refuse(problems, field == null ? missingAt(node) : at(field, "ssh-privatekey"), shown
              + (field == null ? "missing" : "empty") + " where type is " + type + ", which needs a private key");
        }
      }
      case "kubernetes.io/service-account-token" -> {
        JsonNode name = node.path("metadata").path("annotations").path(SERVICE_ACCOUNT);
        if (name.isMissingNode() || name.isTextual() && name.textValue().isEmpty()) {
          String at = node.path("metadata").has("annotations") ? "/metadata/annotations" : "/metadata";
          refuse(problems, at, "metadata.annotations[\"" + SERVICE_ACCOUNT + "\"]: " + (name.isMissingNode()
              ? "missing" : "empty") + " where type is " + type + ", which names its ServiceAccount there");
        }
      }
      default -> { }
    }
  }

  /** Refuses a Secret of {@code type} without {@code key}. */
  private static void require(JsonNode node, String type, String key, List<DecodedValues.Refusal> problems) {
    if (field(node, key) == null) {
      refuse(problems, missingAt(node), "data[" + Names.quote(key) + "]: missing where type is " + type
          + ", which needs it (in data or stringData; it may be empty)");
    }
  }

  /** Refuses a Secret of {@code type} without {@code key}, or whose {@code key} is not a JSON object. */
  private static void json(JsonNode node, String type, String key, List<DecodedValues.Refusal> problems) {
    String field = field(node, key);
    if (field == null) {
      require(node, type, key, problems);
      return;
    }
    byte[] bytes = bytes(field, node.path(field).path(key));
    String wrong = bytes == null ? null : notObject(new String(bytes, StandardCharsets.UTF_8));
    if (wrong != null) {
      refuse(problems, at(field, key), field + "[" + Names.quote(key) + "]: " + wrong + " where type is " + type
          + ", which takes a JSON object there (value not shown)");
    }
  }

  /** Why {@code text} is not what Go's {@code json.Unmarshal} reads into a map, never showing it; null when it is. */
  private static String notObject(String text) {
    try (JsonParser parser = JSON.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return "no JSON";
      }
      if (first != JsonToken.START_OBJECT && first != JsonToken.VALUE_NULL) {
        return "JSON but not an object";
      }
      parser.skipChildren();
      return parser.nextToken() == null ? null : "more than one JSON value";
    } catch (JsonProcessingException e) {
      return "not valid JSON (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    } catch (IOException e) {
      return "not valid JSON";
    }
  }

  /** The field ({@code stringData}, which wins, or {@code data}) that holds {@code key}, or null. */
  private static String field(JsonNode node, String key) {
    return node.path("stringData").has(key) ? "stringData" : node.path("data").has(key) ? "data" : null;
  }

  /** The bytes of {@code value} in {@code field}, or null when they are not known (not text, not base64). */
  private static byte[] bytes(String field, JsonNode value) {
    if (!value.isTextual()) {
      return null;
    }
    if (field.equals("stringData")) {
      return value.textValue().getBytes(StandardCharsets.UTF_8);
    }
    return DecodedValues.bytes(value.textValue());
  }

  /** Where a missing key is reported: the Secret's {@code data}, else its {@code stringData}, else its {@code type}. */
  private static String missingAt(JsonNode node) {
    return node.has("data") ? "/data" : node.has("stringData") ? "/stringData" : "/type";
  }

  private static String at(String field, String key) {
    return "/" + field + "/" + Pointers.escape(key);
  }

  private static void refuse(List<DecodedValues.Refusal> problems, String pointer, String what) {
    problems.add(DecodedValues.Refusal.server(pointer, what));
  }
}
