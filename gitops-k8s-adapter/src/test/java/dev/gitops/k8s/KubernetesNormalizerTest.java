package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.diff.Change;
import dev.gitops.diff.Differ;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.model.Content;
import dev.gitops.model.ResourceId;
import org.junit.jupiter.api.Test;

class KubernetesNormalizerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ResourceId WEB = new ResourceId("apps", "Deployment", "shop", "web");
  private static final ResourceId SECRET = ResourceId.of("Secret", "shop", "db");
  private final KubernetesNormalizer normalizer = new KubernetesNormalizer();
  private final Differ differ = new Differ(KubernetesDiff.options());

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private ResourceDiff diff(ResourceId id, String actual, String desired) {
    return differ.diff(id, new Content.Tree(json(actual)), new Content.Tree(json(desired)), null);
  }

  @Test
  void serverOwnedMetadataAndStatusAreNotDrift() {
    String actual = "{'metadata':{'name':'web','uid':'u','resourceVersion':'7','generation':3,"
        + "'creationTimestamp':'2026-01-01T00:00:00Z','managedFields':[{}],'annotations':{"
        + "'deployment.kubernetes.io/revision':'3','kubectl.kubernetes.io/last-applied-configuration':'{}'}},"
        + "'spec':{'replicas':2,'strategy':{'type':'RollingUpdate'}},'status':{'replicas':2}}";
    assertTrue(diff(WEB, actual, "{'metadata':{'name':'web'},'spec':{'replicas':2}}").isEmpty());
  }

  @Test
  void aNamespaceNameLabelComparesAsTheNameOnlyOnANamespace() {
    ResourceId shop = ResourceId.of("Namespace", "", "shop");
    String actual = "{'metadata':{'name':'shop','labels':{'kubernetes.io/metadata.name':'shop','team':'a'}}}";
    String stale = "{'metadata':{'name':'shop','labels':{'kubernetes.io/metadata.name':'shop-v1','team':'a'}}}";
    assertTrue(diff(shop, actual, stale).isEmpty(), diff(shop, actual, stale).toString());
    assertEquals(1, diff(shop, actual, stale.replace("'team':'a'", "'team':'b'")).changes().size());
    ResourceId config = ResourceId.of("ConfigMap", "shop", "shop");
    assertEquals(1, diff(config, actual, stale).changes().size()); // only a Namespace's server sets it
  }

  @Test
  void quantitiesCompareByValue() {
    String actual = "{'spec':{'template':{'spec':{'containers':[{'name':'app','resources':{"
        + "'limits':{'cpu':'1','memory':'1Gi'},'requests':{'cpu':'500m','memory':'1073741824'}}}]}}}}";
    String desired = "{'spec':{'template':{'spec':{'containers':[{'name':'app','resources':{"
        + "'limits':{'cpu':'1000m','memory':'1024Mi'},'requests':{'cpu':0.5,'memory':'1Gi'}}}]}}}}";
    assertTrue(diff(WEB, actual, desired).isEmpty(), diff(WEB, actual, desired).toString());
    String bigger = desired.replace("'1024Mi'", "'2Gi'");
    assertEquals(1, diff(WEB, actual, bigger).changes().size());
  }

  @Test
  void aPortsDefaultProtocolAndIntegerTextInAnIntOrStringFieldAreNotDrift() {
    String actual = "{'apiVersion':'v1','spec':{'ports':[{'port':80,'targetPort':8080,'protocol':'TCP'}]}}";
    String desired = "{'apiVersion':'v1','spec':{'ports':[{'port':80,'targetPort':'8080'}]}}";
    ResourceDiff d = diff(ResourceId.of("Service", "shop", "web"), actual, desired);
    assertTrue(d.isEmpty(), d.toString());
    assertEquals("Service/shop/web: 1 hidden by integer text", d.explain());
  }

  @Test
  void containersMatchByNameWhateverTheirOrder() {
    String actual = "{'spec':{'template':{'spec':{'containers':[{'name':'b','image':'b:1','ports':"
        + "[{'containerPort':80,'protocol':'TCP'}]},{'name':'a','image':'a:1','terminationMessagePath':'/dev/x'}]}}}}";
    String desired = "{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'a:1'},"
        + "{'name':'b','image':'b:2','ports':[{'containerPort':80}]}]}}}}";
    ResourceDiff d = diff(WEB, actual, desired);
    assertEquals(1, d.changes().size(), d.toString());
    assertTrue(d.changes().get(0).path().endsWith("/image"), d.toString());
  }

  @Test
  void secretStringDataEqualsBase64DataAndValuesAreMasked() {
    String actual = "{'data':{'password':'aHVudGVyMg=='}}";
    assertTrue(diff(SECRET, actual, "{'stringData':{'password':'hunter2'}}").isEmpty());
    ResourceDiff changed = diff(SECRET, actual, "{'stringData':{'password':'hunter3'}}");
    assertEquals(1, changed.changes().size());
    Change c = changed.changes().get(0);
    assertTrue(c.sensitive());
    assertFalse(c.toString().contains("aHVudGVy"), c.toString());
  }

  @Test
  void normalisingIsIdempotentAndReturnsTheSameTreeWhenNothingChanges() {
    JsonNode plain = json("{'metadata':{'name':'x'},'data':{'a':'b'}}");
    assertSame(plain, normalizer.normalize(ResourceId.of("ConfigMap", "", "x"), plain));
    JsonNode noisy = json("{'metadata':{'name':'x','uid':'u','labels':{}},'spec':{'replicas':'3','paused':null},'status':{}}");
    JsonNode once = normalizer.normalize(WEB, noisy);
    assertEquals(json("{'metadata':{'name':'x'},'spec':{'replicas':'3'}}"), once);
    assertEquals(once, normalizer.normalize(WEB, once));
    assertTrue(noisy.path("metadata").has("uid"), "the input is not mutated");
  }

  @Test
  void kindOrderPutsNamespacesThenCrdsFirstAndCustomResourcesLast() {
    int ns = KubernetesKinds.rank(ResourceId.of("Namespace", "", "a"));
    int crd = KubernetesKinds.rank(new ResourceId("apiextensions.k8s.io", "CustomResourceDefinition", "", "a"));
    int cm = KubernetesKinds.rank(ResourceId.of("ConfigMap", "a", "a"));
    int deploy = KubernetesKinds.rank(WEB);
    int cr = KubernetesKinds.rank(new ResourceId("monitoring.coreos.com", "Prometheus", "a", "a"));
    int gateway = KubernetesKinds.rank(new ResourceId("gateway.networking.k8s.io", "Gateway", "a", "a"));
    assertTrue(ns < crd && crd < cm && cm < deploy && deploy < cr, ns + " " + crd + " " + cm + " " + deploy + " " + cr);
    assertEquals(cr, gateway, "Gateway API kinds are custom resources");
  }
}
