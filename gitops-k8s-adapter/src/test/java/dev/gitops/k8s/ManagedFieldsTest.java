package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** What {@code gitops} applied, as the diff reads it from the server's field sets. */
class ManagedFieldsTest {
  /** JSON written with single quotes. */
  private static JsonNode json(String text) {
    return Json.parse(text.replace('\'', '"'));
  }

  @Test
  void aSecretsOwnedStringDataIsNoAppliedFieldTheServerStores() {
    ObjectNode applied = ManagedFields.applied(json(
        "{'f:stringData':{'f:username':{},'f:password':{}},'f:data':{'f:ca.crt':{}},'f:type':{}}"));
    JsonNode secret = json("{'apiVersion':'v1','kind':'Secret','data':{'username':'YWRtaW4='}}");
    assertEquals(json("{'data':{'ca.crt':true},'type':true}"), ManagedFields.stored(secret, applied));
    assertEquals(json("{'stringData':{'username':true,'password':true},'data':{'ca.crt':true},'type':true}"), applied,
        "the input is not changed");
  }

  @Test
  void aFieldNamedStringDataOfAnotherKindIsKept() {
    ObjectNode applied = ManagedFields.applied(json("{'f:spec':{'f:x':{}},'f:stringData':{'f:k':{}}}"));
    assertSame(applied, ManagedFields.stored(json("{'apiVersion':'example.com/v1','kind':'Secret'}"), applied));
    assertSame(applied, ManagedFields.stored(json("{'apiVersion':'v1','kind':'ConfigMap'}"), applied));
  }
}
