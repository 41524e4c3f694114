package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.Observed;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.Scope;
import dev.gitops.testing.k8s.MockKubernetes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The records a target writes are decoded by its next read from what the writer kept, to the same
 * tree the annotation decodes to; and the writer keeps a bounded amount.
 */
class WrittenRecordsIT {
  @AutoClose private final MockKubernetes cluster = MockKubernetes.crud();

  @Test
  void aReadAfterAWriteDecodesTheRecordTheWriterKeptToWhatTheAnnotationDecodesTo() {
    ClusterParts parts = ClusterParts.of(cluster.client(), KubernetesTarget.Options.defaults()
        .withStrategy(ApplyStrategy.JSON_PATCH), null, ClusterParts.Shared.of(cluster.client()), "records");
    List<Resource> desired = List.of(resource("ConfigMap", "web", "{\"data\":{\"a\":\"1\",\"b\":\"x\\ny\"}}"),
        resource("Secret", "token", "{\"type\":\"Opaque\",\"stringData\":{\"token\":\"s3cret\"}}"));
    for (Resource r : desired) {
      parts.writer().apply(new Action.Create(r), "app");
    }
    ActualState read = parts.reader().read(Scope.of("app", Set.of(desired.get(0).id(), desired.get(1).id())));

    assertEquals(2, parts.cache().records().hits(), "both records came from the writer");
    for (Resource r : desired) {
      Observed observed = read.get(r.id());
      assertNotNull(observed, r.id().toString());
      String annotation = (r.id().kind().equals("Secret")
          ? cluster.client().secrets().inNamespace("shop").withName(r.id().name()).get().getMetadata()
          : cluster.client().configMaps().inNamespace("shop").withName(r.id().name()).get().getMetadata())
          .getAnnotations().get(Labels.APPLIED);
      assertEquals(AppliedRecord.decode(annotation), ((Content.Tree) observed.lastApplied()).node(), r.id().toString());
    }
    JsonNode secret = ((Content.Tree) read.get(desired.get(1).id()).lastApplied()).node();
    assertTrue(secret.path("data").path("token").asText().startsWith("sha256:"), "a Secret's record keeps digests");
  }

  @Test
  void theWriterKeepsABoundedAmountAndForgetsARecordOnceDecoded() {
    AppliedRecord.Written written = new AppliedRecord.Written();
    List<String> records = new ArrayList<>();
    String big = "x".repeat(600_000); // compresses to little: kept by its JSON's size
    for (int i = 0; i < 20; i++) {
      ObjectNode applied = (ObjectNode) Json.parse("{\"kind\":\"ConfigMap\",\"data\":{\"n\":\"" + i + "\"}}");
      ((ObjectNode) applied.get("data")).put("big", big);
      records.add(AppliedRecord.encode(applied, false, written));
    }
    for (int i = records.size() - 1; i >= 0; i--) {
      assertEquals(AppliedRecord.decode(records.get(i)), written.decode(records.get(i)), "record " + i);
    }
    long kept = written.hits();
    assertTrue(kept >= 1 && kept <= AppliedRecord.Written.MAX_BYTES / 600_000, "kept " + kept + " of 20");
    assertEquals(AppliedRecord.decode(records.get(19)), written.decode(records.get(19)), "decoded again");
    assertEquals(kept, written.hits(), "a record is forgotten once decoded");
    assertNull(written.decode("not a record"), "what is no record decodes to null, as the annotation's");
  }

  private static Resource resource(String kind, String name, String body) {
    ObjectNode node = (ObjectNode) Json.parse(body);
    node.put("apiVersion", "v1");
    node.put("kind", kind);
    node.putObject("metadata").put("name", name).put("namespace", "shop");
    return Resource.of(ResourceId.of(kind, "shop", name), new Content.Tree(node));
  }
}
