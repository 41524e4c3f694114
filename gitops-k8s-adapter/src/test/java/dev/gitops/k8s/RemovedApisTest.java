package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The table of API versions Kubernetes stopped serving, and what each refusal says. */
class RemovedApisTest {
  @Test
  void removedVersionsNameTheirReleaseAndSuccessor() {
    assertEquals(new RemovedApis.Removal(25, "batch/v1"), RemovedApis.removal("batch/v1beta1", "CronJob"));
    assertEquals(new RemovedApis.Removal(22, "networking.k8s.io/v1"), RemovedApis.removal("extensions/v1beta1", "Ingress"));
    assertEquals(new RemovedApis.Removal(16, "apps/v1"), RemovedApis.removal("extensions/v1beta1", "Deployment"));
    assertEquals(new RemovedApis.Removal(22, "apiextensions.k8s.io/v1"),
        RemovedApis.removal("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"));
    assertEquals(new RemovedApis.Removal(26, "autoscaling/v2"), RemovedApis.removal("autoscaling/v2beta2", "HorizontalPodAutoscaler"));
    assertNull(RemovedApis.removal("policy/v1beta1", "PodSecurityPolicy").use(), "gone, no successor");
  }

  @Test
  void servedVersionsAndCustomKindsAreNotInIt() {
    for (String[] served : new String[][] {{"batch/v1", "CronJob"}, {"apps/v1", "Deployment"},
        {"policy/v1", "PodDisruptionBudget"}, {"autoscaling/v1", "HorizontalPodAutoscaler"},
        {"networking.k8s.io/v1", "Ingress"}, {"example.com/v1beta1", "CronJob"}, {"v1", "ConfigMap"}}) {
      assertNull(RemovedApis.removal(served[0], served[1]), String.join(" ", served));
    }
  }

  @Test
  void everySuccessorIsServedAndNoRemovedVersionIs() {
    var served = BuiltinKindsTest.served();
    java.util.List<String> wrong = new java.util.ArrayList<>();
    RemovedApis.entries().forEach((key, removal) -> {
      String apiVersion = key.substring(0, key.lastIndexOf('/'));
      String kind = key.substring(key.lastIndexOf('/') + 1);
      var now = served.get(KindInfo.groupOf(apiVersion) + "/" + kind);
      if (now != null && now.versions().contains(KindInfo.versionOf(apiVersion))) {
        wrong.add(key + " is still served by Kubernetes 1.35");
      }
      if (removal.use() != null) {
        var successor = served.get(KindInfo.groupOf(removal.use()) + "/" + kind);
        if (successor == null || !successor.versions().contains(KindInfo.versionOf(removal.use()))) {
          wrong.add(key + ": its successor " + removal.use() + " is not served by Kubernetes 1.35");
        }
      }
    });
    assertEquals(java.util.List.of(), wrong);
  }

  @Test
  void theRefusalSaysWhatToUse() {
    assertEquals("apiVersion policy/v1beta1 is no longer served (removed in Kubernetes 1.25; the cluster"
        + " runs 1.30): the kind is gone, with no successor",
        RemovedApis.message("policy/v1beta1", RemovedApis.removal("policy/v1beta1", "PodSecurityPolicy"), 30));
  }
}
