package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class LabelsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void ownedObjectsCarryTheOwnerAndManagedByLabels() throws Exception {
    ObjectNode tree = (ObjectNode) JSON.readTree("{\"metadata\":{\"name\":\"web\"}}");
    Labels.owned(tree, "web");
    assertEquals("gitops", tree.at("/metadata/labels/app.kubernetes.io~1managed-by").asText());
    assertEquals("web", tree.at("/metadata/labels/gitops.dev~1owner").asText());
  }

  @Test
  void aManagedByLabelTheManifestSetsIsKeptSoThePlanDoesNotFlapForever() throws Exception {
    ObjectNode tree = (ObjectNode) JSON.readTree(
        "{\"metadata\":{\"name\":\"web\",\"labels\":{\"app.kubernetes.io/managed-by\":\"Helm\"}}}");
    Labels.owned(tree, "web");
    assertEquals("Helm", tree.at("/metadata/labels/app.kubernetes.io~1managed-by").asText());
    assertEquals("web", tree.at("/metadata/labels/gitops.dev~1owner").asText());
  }
}
