package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * The defaults an API server (1.30+) gives the kinds that extend it, for the test-side stand-in
 * ({@link ServerDefaults}): a CustomResourceDefinition's ({@code SetDefaults_CustomResourceDefinition},
 * {@code SetDefaults_CustomResourceDefinitionSpec}, {@code SetDefaults_ServiceReference} of
 * apiextensions/v1: its names' singular and list kind from the kind, a conversion of strategy None,
 * a conversion webhook service's port 443, on create the stored version; a false
 * {@code preserveUnknownFields}, {@code omitempty}, not written back), an APIService's
 * (kube-aggregator apiregistration/v1 {@code SetDefaults_ServiceReference}: port 443) and a
 * Validating- or MutatingWebhookConfiguration's (admissionregistration/v1
 * {@code SetDefaults_ValidatingWebhook}, {@code SetDefaults_MutatingWebhook}, {@code SetDefaults_Rule},
 * {@code SetDefaults_ServiceReference}: failure policy Fail, match policy Equivalent, empty namespace
 * and object selectors, a 10 s timeout, reinvocation Never for a mutating webhook, each rule's scope
 * {@code *}, a service's port 443). A CRD's schemas are kept as written. Stateless.
 */
final class ExtensionDefaults {
  private ExtensionDefaults() {}

  /** Fills the defaults of {@code kind} into {@code object} (mutated); false when {@code kind} is none of these. */
  static boolean apply(String kind, ObjectNode object, boolean create) {
    switch (kind) {
      case "CustomResourceDefinition" -> crd(object, create);
      case "APIService" -> port(object.path("spec").get("service"));
      case "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration" -> {
        for (JsonNode webhook : object.path("webhooks")) {
          if (webhook instanceof ObjectNode w) {
            webhook(w, kind.startsWith("Mutating"));
          }
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private static void crd(ObjectNode crd, boolean create) {
    if (!(crd.get("spec") instanceof ObjectNode spec)) {
      return;
    }
    if (spec.get("names") instanceof ObjectNode names && !names.path("kind").asText("").isEmpty()) {
      String kind = names.get("kind").asText();
      putIfAbsent(names, "singular", kind.toLowerCase(Locale.ROOT));
      putIfAbsent(names, "listKind", kind + "List");
    }
    if (spec.path("preserveUnknownFields").isBoolean() && !spec.get("preserveUnknownFields").booleanValue()) {
      spec.remove("preserveUnknownFields"); // a plain bool, omitempty: false is not written back
    }
    if (!(spec.get("conversion") instanceof ObjectNode)) {
      spec.putObject("conversion").put("strategy", "None");
    }
    port(spec.at("/conversion/webhook/clientConfig/service"));
    if (create && crd.path("status").path("storedVersions").isEmpty()) {
      for (JsonNode version : spec.path("versions")) {
        if (version.path("storage").asBoolean(false)) {
          crd.with("status").putArray("storedVersions").add(version.path("name").asText());
          break;
        }
      }
    }
  }

  private static void webhook(ObjectNode webhook, boolean mutating) {
    putIfAbsent(webhook, "failurePolicy", "Fail");
    putIfAbsent(webhook, "matchPolicy", "Equivalent");
    if (!(webhook.get("namespaceSelector") instanceof ObjectNode)) {
      webhook.putObject("namespaceSelector");
    }
    if (!(webhook.get("objectSelector") instanceof ObjectNode)) {
      webhook.putObject("objectSelector");
    }
    if (!webhook.hasNonNull("timeoutSeconds")) {
      webhook.put("timeoutSeconds", 10);
    }
    if (mutating) {
      putIfAbsent(webhook, "reinvocationPolicy", "Never");
    }
    for (JsonNode rule : webhook.path("rules")) {
      if (rule instanceof ObjectNode r) {
        putIfAbsent(r, "scope", "*");
      }
    }
    port(webhook.path("clientConfig").get("service"));
  }

  /** A service reference's port: 443 when nil. */
  private static void port(JsonNode service) {
    if (service instanceof ObjectNode s && !s.hasNonNull("port")) {
      s.put("port", 443);
    }
  }

  /** Sets {@code field} unless it holds a non-empty value (a nil pointer, or an empty string the defaulting replaces). */
  private static void putIfAbsent(ObjectNode node, String field, String value) {
    if (!node.hasNonNull(field) || node.get(field).asText().isEmpty()) {
      node.put(field, value);
    }
  }
}
