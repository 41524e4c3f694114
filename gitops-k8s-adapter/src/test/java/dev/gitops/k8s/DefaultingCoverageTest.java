package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The guard of the defaulting tables: every default the Kubernetes 1.35 OpenAPI documents of
 * {@code ../shared/k8s-openapi/v3} state for a type the built-in schema table holds (what the diff
 * can see: the kinds' specs, not their {@code status}), declared as a {@code default} or written in a
 * description ("Defaults to ...", "Default is ...", "defaults to"), is known to the adapter or named,
 * with why, as no server default ({@link NotServerDefaults}). Known means: the shipped table keeps
 * the declared {@code default} (the compiler reads it), or {@link Defaulting#whenLeftOut} or
 * {@link Defaulting#of} has a value for the field, or a sibling rule derives it ({@link #DERIVED}).
 * A field the documents add in a later Kubernetes version, or a rule removed from a table, fails
 * here with its description; so does an entry of either list the documents no longer name.
 */
class DefaultingCoverageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PROSE = Pattern.compile(
      "[Dd]efaults? (to|is)\\b|[Dd]efault value is|[Dd]efaulted to|defaults to");

  /** Defaults the server derives from another field or from the object, by the class that plays them. */
  static final Map<String, Class<?>> DERIVED = Map.ofEntries(
      Map.entry("io.k8s.api.core.v1.Container.imagePullPolicy", WorkloadDefaults.class),
      Map.entry("io.k8s.api.core.v1.ImageVolumeSource.pullPolicy", WorkloadDefaults.class),
      Map.entry("io.k8s.api.core.v1.PodSpec.enableServiceLinks", WorkloadDefaults.class),
      Map.entry("io.k8s.api.core.v1.ResourceRequirements.requests", WorkloadDefaults.class),
      // SetDefaults_PodSpec's empty PodSecurityContext: an empty struct stands in a left-out one's place (pair 450)
      Map.entry("io.k8s.api.core.v1.PodSpec.securityContext", LeftOutDefaults.class),
      Map.entry("io.k8s.api.batch.v1.JobSpec.backoffLimit", WorkloadDefaults.class),
      Map.entry("io.k8s.api.batch.v1.JobSpec.suspend", WorkloadDefaults.class),
      Map.entry("io.k8s.api.core.v1.ReplicationControllerSpec.selector", SiblingDefaults.class),
      Map.entry("io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerBehavior.scaleUp", SiblingLeftOut.class),
      Map.entry("io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerBehavior.scaleDown", SiblingLeftOut.class),
      Map.entry("io.k8s.api.networking.v1.NetworkPolicySpec.policyTypes", SiblingDefaults.class),
      Map.entry("io.k8s.api.rbac.v1.Subject.apiGroup", SiblingLeftOut.class),
      Map.entry("io.k8s.api.resource.v1.ExactDeviceRequest.count", DeviceRequests.class),
      Map.entry("io.k8s.api.resource.v1.DeviceSubRequest.count", DeviceRequests.class),
      Map.entry("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionNames.listKind",
          DefinitionNames.class),
      Map.entry("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionNames.singular",
          DefinitionNames.class));

  @Test
  void everyDefaultTheDocumentsStateIsKnownOrNamedAsNoServerDefault() { // failed on the webhooks' selectors (pair 449)
    Map<String, JsonNode> table = table();
    Map<String, String> allowed = NotServerDefaults.all();
    Map<String, String> unknown = new TreeMap<>();
    int seen = 0;
    for (Map.Entry<String, JsonNode> p : stated(table).entrySet()) {
      seen++;
      String key = p.getKey();
      String type = key.substring(0, key.lastIndexOf('.'));
      String field = key.substring(key.lastIndexOf('.') + 1);
      JsonNode declared = p.getValue().get("default");
      boolean kept = declared != null
          && declared.equals(table.get(type).path("properties").path(field).get("default"));
      boolean known = kept || Defaulting.whenLeftOut(type, field) != null || Defaulting.of(type, field) != null
          || DERIVED.containsKey(key);
      if (!known && !allowed.containsKey(key)) {
        unknown.put(key, declared != null ? "default: " + declared : prose(p.getValue()));
      }
    }
    assertTrue(seen > 600, "the walk found only " + seen + " stated defaults");
    assertEquals(Map.of(), unknown, "defaults neither known to Defaulting (or a sibling rule) nor named in"
        + " NotServerDefaults: " + String.join("\n", unknown.entrySet().stream().map(Object::toString).toList()));
  }

  @Test
  void everyNamedFieldIsOneTheDocumentsStateADefaultFor() {
    Map<String, JsonNode> stated = stated(table());
    List<String> stale = new ArrayList<>();
    for (String key : NotServerDefaults.all().keySet()) {
      if (!stated.containsKey(key)) {
        stale.add(key + " (allowed)");
      } else if (isKnown(key)) {
        stale.add(key + " (allowed, yet a table knows it)");
      }
    }
    for (String key : DERIVED.keySet()) {
      if (!stated.containsKey(key)) {
        stale.add(key + " (derived)");
      }
    }
    assertEquals(List.of(), stale);
  }

  /**
   * A fixed default the prose states as one word or number ("Defaults to Fail.", "Default to 10
   * seconds.", "Defaults to 0644.") is the value {@link Defaulting#whenLeftOut} gives, where it gives
   * a scalar: a table entry with another value would hide a removal the server does not undo.
   */
  @Test
  void aFixedDefaultTheProseStatesIsTheTablesValue() {
    Pattern value = Pattern.compile("(?:[Dd]efaults? (?:to|is)|[Dd]efault value is) \"?'?([A-Za-z0-9*/%-]+)");
    Map<String, String> worded = Map.of( // the prose states the value in other words than the table's
        "io.k8s.api.core.v1.ServiceAccountTokenProjection.expirationSeconds", "1 hour: 3600",
        "io.k8s.api.flowcontrol.v1.LimitedPriorityLevelConfiguration.nominalConcurrencyShares", "a value of 30",
        "io.k8s.api.discovery.v1.EndpointPort.name", "empty string",
        // the prose's 1 is how the kubelet reads a zero divisor; the zero Quantity the server stores reads back "0"
        "io.k8s.api.core.v1.ResourceFieldSelector.divisor", "1, as read");
    Map<String, String> wrong = new TreeMap<>();
    int compared = 0;
    for (Map.Entry<String, JsonNode> p : stated(table()).entrySet()) {
      String key = p.getKey();
      JsonNode table = Defaulting.whenLeftOut(key.substring(0, key.lastIndexOf('.')), key.substring(key.lastIndexOf('.') + 1));
      java.util.regex.Matcher m = value.matcher(prose(p.getValue()));
      if (table == null || !table.isValueNode() || !m.find() || worded.containsKey(key)) {
        continue;
      }
      String stated = m.group(1);
      String expected = stated.matches("0[0-7]+") ? String.valueOf(Integer.parseInt(stated, 8)) // file modes
          : stated.matches("[0-9]+s") ? stated.substring(0, stated.length() - 1) : stated; // 600s
      compared++;
      if (!expected.equalsIgnoreCase(table.asText())) {
        wrong.put(key, "the prose says " + stated + ", the table " + table);
      }
    }
    assertTrue(compared > 30, "compared only " + compared);
    assertEquals(Map.of(), wrong);
  }

  private static boolean isKnown(String key) {
    String type = key.substring(0, key.lastIndexOf('.'));
    String field = key.substring(key.lastIndexOf('.') + 1);
    return Defaulting.whenLeftOut(type, field) != null || Defaulting.of(type, field) != null;
  }

  /**
   * Every property of a schema the built-in table holds whose documents declare a {@code default}
   * or describe one, by {@code <schema>.<property>}; a schema the documents give twice is the same.
   */
  private static Map<String, JsonNode> stated(Map<String, JsonNode> table) {
    Map<String, JsonNode> out = new TreeMap<>();
    OpenApiDocuments.schemas().forEach((name, schema) -> {
      if (!table.containsKey(name)) {
        return;
      }
      boolean kind = schema.has("x-kubernetes-group-version-kind");
      schema.path("properties").properties().forEach(p -> {
        if (kind && p.getKey().equals("status")) {
          return; // the server's own, never Git's: the diff leaves a kind's status alone
        }
        if (p.getValue().has("default") || !prose(p.getValue()).isEmpty()) {
          out.put(name + "." + p.getKey(), p.getValue());
        }
      });
    });
    return out;
  }

  /** The sentences of a property's description that state a default, or "". */
  private static String prose(JsonNode property) {
    List<String> out = new ArrayList<>();
    for (String sentence : property.path("description").asText("").split("(?<=\\.)\\s+")) {
      if (PROSE.matcher(sentence).find()) {
        out.add(sentence.strip());
      }
    }
    return String.join(" ", out);
  }

  /** The shipped built-in schema table, by schema name. */
  private static Map<String, JsonNode> table() {
    Map<String, JsonNode> out = new HashMap<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
        BuiltinSchemas.class.getResourceAsStream(BuiltinSchemas.RESOURCE)), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonNode row = JSON.readTree(line);
        if (row.has("name")) {
          out.put(row.get("name").asText(), row.get("schema"));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
