package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.ResourceId;
import dev.gitops.target.StaleResourceException;
import dev.gitops.target.TargetException;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

/**
 * How {@link Errors#ofWrite} reads a refused write: a JSON Patch whose {@code test} of a list
 * element failed is stale (the API server applies the patch before it compares versions and
 * answers 422 with json-patch's own words, {@code handlers/patch.go} {@code applyJSPatch}), so the
 * step is planned again from a fresh read; any other 422 is the object's fault and stays one.
 */
class WriteErrorsTest {
  private static final ResourceId ID = new ResourceId("apps", "Deployment", "shop", "web");
  private static final String TEST_FAILED =
      "testing value /spec/template/spec/containers/0/ports/1/name failed: test failed";

  @Test
  void aJsonPatchWhoseTestOfAListElementFailedIsStale() {
    TargetException e = Errors.ofWrite("https://k8s", ID, "version:41", refused(422, TEST_FAILED), false);
    StaleResourceException stale = assertInstanceOf(StaleResourceException.class, e);
    assertTrue(stale.getMessage().contains("a list element moved since it was read"), stale.getMessage());
  }

  @Test
  void anyOther422StaysTheObjectsFault() {
    String invalid = "Deployment.apps \"web\" is invalid: spec.template.spec.containers[0].ports[1].containerPort:"
        + " Invalid value: 0: must be between 1 and 65535, inclusive";
    TargetException e = Errors.ofWrite("https://k8s", ID, "version:41", refused(422, invalid), false);
    assertFalse(e instanceof StaleResourceException, e.getMessage());
    assertTrue(e.getMessage().contains("must be between 1 and 65535"), e.getMessage());
  }

  @Test
  void serverSideApplySendsNoTestSoItsRefusalIsNeverReadAsOne() {
    TargetException e = Errors.ofWrite("https://k8s", ID, "version:41", refused(422, TEST_FAILED), true);
    assertFalse(e instanceof StaleResourceException, e.getMessage());
  }

  @Test
  void aConflictOfVersionsStaysStale() {
    TargetException e = Errors.ofWrite("https://k8s", ID, "version:41", refused(409, "the object has been modified"),
        false);
    assertEquals(StaleResourceException.class, e.getClass());
  }

  private static KubernetesClientException refused(int code, String message) {
    return new KubernetesClientException(new StatusBuilder().withCode(code).withMessage(message).build());
  }
}
