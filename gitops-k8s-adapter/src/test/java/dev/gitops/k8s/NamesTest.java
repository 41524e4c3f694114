package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Problem;
import dev.gitops.source.LoaderContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Names#kindNameProblem}: names the API server refuses for their kind (422 at the write of
 * their wave; the mock takes any) are problems of the load, and names it takes load.
 */
class NamesTest {
  @Test
  void namesTheServerRefusesForTheirKindAreProblemsOfTheLoad() {
    var e = assertThrows(InvalidDesiredStateException.class, () -> new ManifestLoader().load(LoaderContract.snapshot(
        "app.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: appSettings}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: 3scale-api}
            spec: {ports: [{port: 80}]}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: team.payments}
            ---
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: nightly-report-for-the-payments-team-in-eu-west-region1}
            spec:
              schedule: "0 2 * * *"
              jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: r, image: busybox}]}}}}
            """)));
    assertEquals(List.of(
        "app.yaml:1: metadata.name \"appSettings\" is not a valid ConfigMap name (a DNS subdomain: at most 253"
            + " lowercase letters, digits, '-' and '.', beginning and ending with a letter or digit); the API server"
            + " refuses it",
        "app.yaml:5: metadata.name \"3scale-api\" is not a valid Service name (an RFC 1035 label: at most 63"
            + " lowercase letters, digits and '-', beginning with a letter and ending with a letter or digit); the API"
            + " server refuses it",
        "app.yaml:10: metadata.name \"team.payments\" is not a valid namespace (at most 63 lowercase letters, digits"
            + " and '-', starting and ending with a letter or digit); the API server refuses it",
        "app.yaml:14: metadata.name is 55 characters long: a CronJob's name has at most 52 (the names of its Jobs"
            + " add 11); the API server refuses it"),
        e.problems().stream().map(Problem::toString).toList());
  }

  @Test
  void namesTheServerTakesPass() {
    assertNull(Names.kindNameProblem("rbac.authorization.k8s.io", "ClusterRole", "system:controller:Job-Runner"));
    assertNull(Names.kindNameProblem("", "PersistentVolume", "PV_Disk:1"));
    assertNull(Names.kindNameProblem("example.com", "Widget", "Anything_Its_Server.Takes"));
    assertNull(Names.kindNameProblem("", "ConfigMap", "kube-root-ca.crt"));
    assertNull(Names.kindNameProblem("", "Service", "a"));
    assertNull(Names.kindNameProblem("batch", "CronJob", "x".repeat(52)));
    assertNull(Names.kindNameProblem("apps", "Deployment", "a".repeat(253)));
    assertEquals(true, Names.kindNameProblem("apps", "Deployment", "a".repeat(254)) != null);
    assertEquals(true, Names.kindNameProblem("", "Secret", "tls.-cert") != null);
    assertEquals(true, Names.kindNameProblem("", "Service", "web.internal") != null);
  }

  /**
   * An apiVersion is one URL path segment or two: {@code group/version}, the group a DNS subdomain,
   * the version an RFC 1035 label, as the API server holds every group and version it serves to
   * (kube-aggregator's {@code ValidateAPIService}, apiextensions' CRD validation). Anything else
   * would build another request path than the id says (or none), so it is a problem of the load.
   */
  @Test
  void anApiVersionNoServerServesIsAProblemOfTheLoadPrintedEscaped() {
    var e = assertThrows(InvalidDesiredStateException.class, () -> new ManifestLoader().load(LoaderContract.snapshot(
        "api.yaml", """
            apiVersion: apps/v1/../../../api/v1
            kind: Deployment
            metadata: {name: a}
            ---
            apiVersion: "v1\\e]0;owned\\a"
            kind: ConfigMap
            metadata: {name: b}
            ---
            apiVersion: /v1
            kind: ConfigMap
            metadata: {name: c}
            ---
            apiVersion: Example.com/v1
            kind: Widget
            metadata: {name: d}
            ---
            apiVersion: example.com/v1?dryRun=All
            kind: Widget
            metadata: {name: e}
            ---
            apiVersion: example.com/v1alpha1
            kind: Widget
            metadata: {name: fine}
            """)));
    assertEquals(List.of(
        "api.yaml:1: apiVersion \"apps/v1/../../../api/v1\" is not an API version (a version such as v1, or"
            + " group/version such as apps/v1: the group a DNS subdomain, the version an RFC 1035 label); no API"
            + " server serves it",
        "api.yaml:5: apiVersion \"v1\\x1b]0;owned\\x07\" is not an API version (a version such as v1, or"
            + " group/version such as apps/v1: the group a DNS subdomain, the version an RFC 1035 label); no API"
            + " server serves it",
        "api.yaml:9: apiVersion \"/v1\" is not an API version (a version such as v1, or group/version such as"
            + " apps/v1: the group a DNS subdomain, the version an RFC 1035 label); no API server serves it",
        "api.yaml:13: apiVersion \"Example.com/v1\" is not an API version (a version such as v1, or group/version"
            + " such as apps/v1: the group a DNS subdomain, the version an RFC 1035 label); no API server serves it",
        "api.yaml:17: apiVersion \"example.com/v1?dryRun=All\" is not an API version (a version such as v1, or"
            + " group/version such as apps/v1: the group a DNS subdomain, the version an RFC 1035 label); no API"
            + " server serves it"), e.problems().stream().map(Problem::toString).toList());
  }
}
