package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** A label feed of a built-in kind informs over fabric8's model class, and serves the same trees. */
class FeedModelIT {
  @AutoClose private final MockKubernetes cluster = MockKubernetes.crud();

  @Test
  void builtInKindsHaveTheirModelClass() {
    assertEquals(ConfigMap.class, KindResolver.modelClass(cluster.client(),
        new KindInfo("", "v1", "ConfigMap", "configmaps", true)));
    assertEquals("io.fabric8.kubernetes.api.model.apps.Deployment", KindResolver.modelClass(cluster.client(),
        new KindInfo("apps", "v1", "Deployment", "deployments", true)).getName());
    assertEquals("io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler",
        KindResolver.modelClass(cluster.client(), new KindInfo("autoscaling", "v2", "HorizontalPodAutoscaler",
            "horizontalpodautoscalers", true)).getName());
  }

  @Test
  void otherKindsAndOtherResourcesInformGenerically() {
    assertNull(KindResolver.modelClass(cluster.client(), new KindInfo("example.com", "v1", "Widget", "widgets", true)));
    assertNull(KindResolver.modelClass(cluster.client(), new KindInfo("", "v1", "ConfigMap", "configmapz", true)),
        "another plural than the model's");
    assertNull(KindResolver.modelClass(cluster.client(), new KindInfo("", "v1", "ConfigMap", "configmaps", false)),
        "another scope than the model's");
  }

  @Test
  void aTypedFeedServesTheObjectsAsTrees() {
    create("web"); // listed
    Feed feed = started(Labels.OWNER);
    try {
      assertTrue(feed.awaitSynced(10_000), "the feed syncs");
      String version = create("api").path("metadata").path("resourceVersion").asText(); // watched
      feed.expect("app", "ns/api", version);
      assertTrue(feed.awaitExpected("app", 10_000), "the watch brings the second object");
      List<ObjectNode> items = feed.items("app");
      assertEquals(2, items.size());
      for (ObjectNode tree : items) {
        String name = tree.path("metadata").path("name").asText();
        assertEquals("v1", tree.path("apiVersion").asText(), name);
        assertEquals("ConfigMap", tree.path("kind").asText(), name);
        assertEquals("1", tree.path("data").path("a").asText(), name);
        assertEquals(2, tree.path("extra").path("b").size(), name + ": a field the model does not know is kept");
        assertTrue(feed.has("ns/" + name), name);
      }
    } finally {
      feed.stop();
    }
  }

  @Test
  void theServersAnswerToAWriteIsServedForThatVersionOnly() throws Exception {
    Feed feed = started(Labels.OWNER);
    try {
      assertTrue(feed.awaitSynced(10_000), "the feed syncs");
      ObjectNode answer = create("api");
      answer.put("answered", "yes"); // tells the answer from fabric8's copy of the same version
      feed.expect("app", "ns/api", answer.path("metadata").path("resourceVersion").asText(), answer);
      answer.put("later", "changed after the write");
      assertTrue(feed.awaitExpected("app", 10_000), "the watch brings the object");
      ObjectNode served = feed.items("app").get(0);
      assertEquals("yes", served.path("answered").asText(), "the answer, not a conversion");
      assertTrue(served.path("later").isMissingNode(), "a copy of the answer as it was");
      assertEquals("ConfigMap", served.path("kind").asText());
      assertEquals("v1", served.path("apiVersion").asText());

      cluster.client().configMaps().inNamespace("ns").withName("api").edit(cm -> {
        cm.getData().put("a", "2");
        return cm;
      });
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!"2".equals(feed.items("app").get(0).path("data").path("a").asText()) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      ObjectNode next = feed.items("app").get(0);
      assertEquals("2", next.path("data").path("a").asText(), "the watch brings the next version");
      assertTrue(next.path("answered").isMissingNode(), "another version is converted from the cache");
    } finally {
      feed.stop();
    }
  }

  @Test
  void aTypedPresenceFeedKnowsTheObjectsWithoutTheLabel() {
    cluster.client().raw(cluster.server().url("/api/v1/namespaces/ns/configmaps").toString(), "POST",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"listed\",\"namespace\":\"ns\"}}");
    Feed feed = started("!" + Labels.OWNER);
    try {
      assertTrue(feed.awaitSynced(10_000), "the feed syncs");
      String version = Json.parse(cluster.client().raw(cluster.server().url("/api/v1/namespaces/ns/configmaps")
          .toString(), "POST", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"watched\","
          + "\"namespace\":\"ns\"}}")).path("metadata").path("resourceVersion").asText();
      feed.expect(null, "ns/watched", version);
      assertTrue(feed.awaitKeys(List.of("ns/watched"), 10_000), "the watch brings the second object");
      assertTrue(feed.has("ns/listed"));
      assertTrue(feed.has("ns/watched"));
      create("owned");
      assertEquals(false, feed.has("ns/owned"), "an object with the label is not held");
    } finally {
      feed.stop();
    }
  }

  /** A started feed of the ConfigMaps with (or, {@code !label}, without) {@code label}. */
  private Feed started(String label) {
    Feed feed = new Feed(cluster.client(), new KindInfo("", "v1", "ConfigMap", "configmaps", true), null, label,
        new AtomicLong()::incrementAndGet);
    feed.start();
    return feed;
  }

  private ObjectNode create(String name) {
    return (ObjectNode) Json.parse(cluster.client().raw(cluster.server().url("/api/v1/namespaces/ns/configmaps")
        .toString(), "POST", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
        + "\",\"namespace\":\"ns\",\"labels\":{\"" + Labels.OWNER + "\":\"app\"}},\"data\":{\"a\":\"1\"},"
        + "\"extra\":{\"b\":[1,2]}}"));
  }
}
