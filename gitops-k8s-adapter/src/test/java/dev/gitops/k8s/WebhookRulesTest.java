package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link WebhookRules} through {@link ManifestLoader}: an admissionregistration/v1 webhook without
 * AdmissionReview versions the server sends, or without a side-effect class it creates, is a
 * problem at its line (422 at the write of its wave; the mock takes it); the forms it takes load.
 */
class WebhookRulesTest {
  private static final String REFUSED = ": the API server refuses the object";

  @Test
  void aWebhookTheServerRefusesIsAProblemAtItsLineAndTheFormsItTakesLoad() {
    List<String> found = Fixtures.loadProblems("""
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingWebhookConfiguration
        metadata: {name: policy}
        webhooks:
        - name: empty.example.com
          admissionReviewVersions: []
          clientConfig: {url: "https://policy.example.com/empty"}
        - name: unknown.example.com
          admissionReviewVersions: [v2, v1, v1]
          sideEffects: Some
          clientConfig: {url: "https://policy.example.com/unknown"}
        - name: future.example.com
          admissionReviewVersions: [v2, V3]
          sideEffects: null
          clientConfig: {url: "https://policy.example.com/future"}
        - name: fine.example.com
          admissionReviewVersions: [v1beta1, v2]
          sideEffects: NoneOnDryRun
          clientConfig: {url: "https://policy.example.com/fine"}
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: MutatingWebhookConfiguration
        metadata: {name: inject}
        webhooks:
        - name: left-out.example.com
          clientConfig: {service: {name: inject, namespace: shop}}
        - name: fine.example.com
          admissionReviewVersions: [v1]
          sideEffects: None
          clientConfig: {service: {name: inject, namespace: shop}}
        """);
    String validating = "app.yaml:%d: admissionregistration.k8s.io/ValidatingWebhookConfiguration//policy: webhooks";
    String mutating = "app.yaml:%d: admissionregistration.k8s.io/MutatingWebhookConfiguration//inject: webhooks";
    String noSideEffects = ".sideEffects: none given; must be None or NoneOnDryRun (v1 does not default it)" + REFUSED;
    String noVersions = ".admissionReviewVersions: none given; name the AdmissionReview versions the webhook takes,"
        + " one of them v1 or v1beta1 (v1 does not default it)" + REFUSED;
    assertEquals(List.of(
        validating.formatted(5) + "[0]" + noSideEffects,
        validating.formatted(6) + "[0]" + noVersions,
        validating.formatted(9) + "[1].admissionReviewVersions[2]: \"v1\" is named twice" + REFUSED,
        validating.formatted(10) + "[1].sideEffects: \"Some\" is not taken: a webhook is created with None or"
            + " NoneOnDryRun" + REFUSED,
        validating.formatted(12) + "[2]" + noSideEffects, // a null is dropped on load: the webhook's line
        validating.formatted(13) + "[2].admissionReviewVersions: includes neither v1 nor v1beta1, the AdmissionReview"
            + " versions the server sends" + REFUSED,
        validating.formatted(13) + "[2].admissionReviewVersions[1]: \"V3\" is not a version (a DNS-1035 label, as v1)"
            + REFUSED,
        mutating.formatted(25) + "[0]" + noVersions,
        mutating.formatted(25) + "[0]" + noSideEffects), found);
  }
}
