package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ResourceId;
import java.util.List;

/**
 * The requester of a certificates.k8s.io CertificateSigningRequest, which the API server alone
 * writes: the CSR strategy's {@code PrepareForCreate} ({@code pkg/registry/certificates/certificates/strategy.go})
 * clears {@code spec.username}, {@code uid}, {@code groups} and {@code extra} and sets them from the
 * request's credentials, and its {@code PrepareForUpdate} keeps the whole stored spec on every
 * update. So what a manifest says there (one kept as {@code kubectl get csr -o yaml} printed it on
 * another cluster) is never stored, and applying it again changes nothing: the four fields are left
 * out of the desired and the live object alike by the normalisation ({@link FieldRules}; corpus pair 408).
 * Never mutates its input. Stateless. Not public API.
 */
final class SigningRequester {
  /** The fields of the spec the server sets from the requester. */
  private static final List<String> FIELDS = List.of("username", "uid", "groups", "extra");

  private SigningRequester() {
  }

  /** {@code root}, an object of {@code id}, without the requester's fields: a copy; {@code root} when it has none. */
  static JsonNode root(ResourceId id, JsonNode root) {
    if (!id.group().equals("certificates.k8s.io") || !id.kind().equals("CertificateSigningRequest")
        || !(root.get("spec") instanceof ObjectNode spec) || FIELDS.stream().noneMatch(spec::has)) {
      return root;
    }
    ObjectNode copy = JsonNodeFactory.instance.objectNode().setAll((ObjectNode) root);
    copy.set("spec", spec.deepCopy().without(FIELDS));
    return copy;
  }
}
